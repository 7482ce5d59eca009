package io.memjcache;

import io.memjcache.cluster.Cluster;
import io.memjcache.cluster.health.ClusterMXBean;
import io.memjcache.config.ClusterSettings;
import io.memjcache.config.ManagerSettings;
import io.memjcache.config.ManagerUri;
import io.memjcache.config.Settings;
import io.memjcache.logging.Log;
import io.memjcache.management.JmxRegistration;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The JCache entry point for memcached. One {@link MemcachedCacheManager} per URI and class loader;
 * managers that resolve to the same servers share one set of connections.
 *
 * <p>The default URI, {@value #DEFAULT_URI}, takes its servers from the {@code memjcache.servers}
 * property (given to {@code getCacheManager} or set on the JVM), else {@code 127.0.0.1:11211}
 * (logged once). A {@code memcached://host1:port1,host2:port2/?copies=2} URI names its servers
 * itself; a {@code classpath:}, {@code file:} or {@code jar:} URI, or a bare name ending in
 * {@code .properties}, names a configuration file (see {@link Settings}). A manager goes by its URI
 * made fit for JMX names ({@link ManagerUri}).
 */
public final class MemcachedCachingProvider implements CachingProvider {

  public static final String DEFAULT_URI = "memjcache:default";

  private static final Log LOG = Log.of(MemcachedCachingProvider.class);

  private final Map<ClassLoader, Map<URI, MemcachedCacheManager>> managers = new WeakHashMap<>();
  private final Map<ClusterSettings, SharedCluster> clusters = new HashMap<>();
  private final AtomicBoolean defaultServersLogged = new AtomicBoolean();

  /** Made by {@link java.util.ServiceLoader} (through {@code Caching}), or by the application. */
  public MemcachedCachingProvider() {}

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
    URI managerUri = ManagerUri.of(uri == null ? getDefaultURI() : uri);
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    Properties props = properties == null ? new Properties() : properties;
    synchronized (managers) {
      Map<URI, MemcachedCacheManager> byUri = managers.computeIfAbsent(loader, l -> new HashMap<>());
      MemcachedCacheManager manager = byUri.get(managerUri);
      if (manager == null) {
        ManagerSettings settings =
            Settings.resolve(ManagerUri.plain(managerUri), loader, props, System.getProperties());
        logDefaultServers(settings);
        manager = new MemcachedCacheManager(this, managerUri, loader, props, settings,
            acquire(settings.cluster()));
        byUri.put(managerUri, manager);
      }
      return manager;
    }
  }

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, getDefaultProperties());
  }

  @Override
  public CacheManager getCacheManager() {
    return getCacheManager(getDefaultURI(), getDefaultClassLoader(), getDefaultProperties());
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : MemcachedCachingProvider.class.getClassLoader();
  }

  @Override
  public URI getDefaultURI() {
    return URI.create(DEFAULT_URI);
  }

  @Override
  public Properties getDefaultProperties() {
    return new Properties();
  }

  @Override
  public void close() {
    for (MemcachedCacheManager manager : snapshot(null, null)) {
      manager.close();
    }
  }

  @Override
  public void close(ClassLoader classLoader) {
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    for (MemcachedCacheManager manager : snapshot(loader, null)) {
      manager.close();
    }
  }

  @Override
  public void close(URI uri, ClassLoader classLoader) {
    URI managerUri = ManagerUri.of(uri == null ? getDefaultURI() : uri);
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    for (MemcachedCacheManager manager : snapshot(loader, managerUri)) {
      manager.close();
    }
  }

  @Override
  public boolean isSupported(OptionalFeature optionalFeature) {
    // entries always cross the network as bytes, so references cannot be kept
    return false;
  }

  void release(MemcachedCacheManager manager) {
    synchronized (managers) {
      Map<URI, MemcachedCacheManager> byUri = managers.get(manager.getClassLoader());
      if (byUri != null && byUri.get(manager.getURI()) == manager) {
        byUri.remove(manager.getURI());
        if (byUri.isEmpty()) {
          managers.remove(manager.getClassLoader());
        }
      }
      ClusterSettings key = manager.settings().connectionKey();
      SharedCluster shared = clusters.get(key);
      if (shared != null && --shared.users == 0) {
        clusters.remove(key);
        JmxRegistration.unregister(clusterName(key));
        shared.cluster.close();
      }
    }
  }

  /**
   * Connecting somewhere nobody named must not be silent; once per provider, which {@code Caching}
   * keeps one of per class loader.
   */
  void logDefaultServers(ManagerSettings settings) {
    if (settings.serversDefaulted() && defaultServersLogged.compareAndSet(false, true)) {
      LOG.warning(() -> "memjcache: no servers configured, using " + Settings.DEFAULT_SERVERS
          + "; set " + Settings.SERVERS + " (in the configuration file, the Properties given to"
          + " getCacheManager or a system property) or use a memcached://host:port,... URI");
    }
  }

  private Cluster acquire(ClusterSettings settings) {
    SharedCluster shared = clusters.computeIfAbsent(settings.connectionKey(), k -> {
      Cluster cluster = new Cluster(k.clusterConfig());
      JmxRegistration.register(clusterName(k), cluster, ClusterMXBean.class);
      return new SharedCluster(cluster);
    });
    shared.users++;
    return shared.cluster;
  }

  private static ObjectName clusterName(ClusterSettings settings) {
    try {
      return new ObjectName("io.memjcache:type=Cluster,servers="
          + ObjectName.quote(settings.servers() + "+" + settings.backupServers()));
    } catch (MalformedObjectNameException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<MemcachedCacheManager> snapshot(ClassLoader loader, URI uri) {
    synchronized (managers) {
      List<MemcachedCacheManager> result = new ArrayList<>();
      managers.forEach((l, byUri) -> {
        if (loader == null || loader == l) {
          byUri.forEach((u, m) -> {
            if (uri == null || uri.equals(u)) {
              result.add(m);
            }
          });
        }
      });
      return result;
    }
  }

  /** A cluster and how many managers use it. */
  private static final class SharedCluster {
    final Cluster cluster;
    int users;

    SharedCluster(Cluster cluster) {
      this.cluster = cluster;
    }
  }
}
