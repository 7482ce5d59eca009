package io.memjcache;

import io.memjcache.cluster.Cluster;
import io.memjcache.cluster.ItemStore;
import io.memjcache.cluster.ReplicatedItemStore;
import io.memjcache.cluster.health.ClusterMXBean;
import io.memjcache.codec.AllowList;
import io.memjcache.codec.EntryCodec;
import io.memjcache.codec.EntryFormat;
import io.memjcache.codec.KryoSerializer;
import io.memjcache.config.CacheDeclarations;
import io.memjcache.config.ClusterSettings;
import io.memjcache.config.ManagerSettings;
import io.memjcache.config.WhenUnreachable;
import io.memjcache.management.BadEntries;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;

/**
 * The caches of one URI and class loader, all on one memcached cluster.
 *
 * <p>memcached keeps no catalog of caches, so the set of caches a manager knows is local to this JVM;
 * their entries are shared with every manager (in any JVM) that uses the same namespace and cache
 * name on the same servers.
 *
 * <p>The caches the configuration declares by name exist from the start; the settings declared
 * for a cache (by name or pattern) override the application's configuration of that cache.
 */
public final class MemcachedCacheManager implements CacheManager {

  private final MemcachedCachingProvider provider;
  private final URI uri;
  private final ClassLoader classLoader;
  private final Properties properties;
  private final ClusterSettings settings;
  private final CacheDeclarations declarations;
  private final Cluster cluster;
  private final ItemStore store;
  private final KryoSerializer serializer;
  private final Map<String, MemcachedCache<?, ?>> caches = new ConcurrentHashMap<>();
  private final ExecutorService executor;
  private volatile boolean closed;

  MemcachedCacheManager(MemcachedCachingProvider provider, URI uri, ClassLoader classLoader,
      Properties properties, ManagerSettings settings, Cluster cluster) {
    this.provider = provider;
    this.uri = uri;
    this.classLoader = classLoader;
    this.properties = properties;
    this.settings = settings.cluster();
    this.declarations = settings.caches();
    this.cluster = cluster;
    this.store = settings.whenUnreachable() == WhenUnreachable.MISS
        ? new UnreachableAsMissStore(new ReplicatedItemStore(cluster))
        : new ReplicatedItemStore(cluster);
    this.serializer = new KryoSerializer(classLoader, AllowList.parse(this.settings.allowedClasses()));
    BadEntries.register(); // visible before the first bad entry, so monitoring finds it at zero
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "memjcache-loader");
      t.setDaemon(true);
      return t;
    });
    // declared caches exist as soon as the manager is open, so getCache finds them (as Hibernate's
    // regions and Spring's caches are looked up before anything would create them)
    for (String name : declarations.declaredNames()) {
      createCache(name, new MutableConfiguration<>());
    }
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public ClassLoader getClassLoader() {
    return classLoader;
  }

  @Override
  public Properties getProperties() {
    return properties;
  }

  /** The cluster settings this manager resolved from its URI, properties and the system. */
  ClusterSettings settings() {
    return settings;
  }

  /** Reads answered as misses because their nodes were unreachable ({@code whenUnreachable=miss}). */
  public long unreachableMisses() {
    return store instanceof UnreachableAsMissStore tolerant ? tolerant.misses() : 0;
  }

  /** Writes dropped because their nodes were unreachable ({@code whenUnreachable=miss}). */
  public long droppedWrites() {
    return store instanceof UnreachableAsMissStore tolerant ? tolerant.droppedWrites() : 0;
  }

  /** The health of this manager's cluster as this client sees it: node states, counters, a key's nodes. */
  public ClusterMXBean cluster() {
    return cluster;
  }

  @Override
  public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName, C configuration) {
    ensureOpen();
    Objects.requireNonNull(cacheName, "cache name must not be null");
    Objects.requireNonNull(configuration, "configuration must not be null");
    MutableConfiguration<K, V> copy =
        declarations.forCache(cacheName).applyTo(copyOf(configuration));
    synchronized (caches) {
      if (caches.containsKey(cacheName)) {
        throw new CacheException("cache " + cacheName + " already exists in " + uri);
      }
      EntryFormat format = settings.keyRing().entryFormat(settings.namespace(), cacheName);
      CacheGeneration generation = new CacheGeneration(store,
          settings.keyRing().keyCodec(settings.namespace(), cacheName), serializer, format,
          settings.operationTimeoutMillis());
      EntryCodec<K, V> codec = new EntryCodec<>(generation::keys, serializer, format,
          copy.getKeyType(), copy.getValueType());
      MemcachedCache<K, V> cache = new MemcachedCache<>(this, cacheName, copy, store, codec, generation);
      caches.put(cacheName, cache);
      return cache;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
    ensureOpen();
    Objects.requireNonNull(keyType, "key type must not be null");
    Objects.requireNonNull(valueType, "value type must not be null");
    MemcachedCache<K, V> cache = (MemcachedCache<K, V>) getCache(cacheName);
    if (cache == null) {
      return null;
    }
    Configuration<?, ?> config = cache.getConfiguration(Configuration.class);
    if (!config.getKeyType().equals(keyType) || !config.getValueType().equals(valueType)) {
      throw new ClassCastException("cache " + cacheName + " holds " + config.getKeyType().getName()
          + " -> " + config.getValueType().getName() + ", not " + keyType.getName() + " -> "
          + valueType.getName());
    }
    return cache;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> getCache(String cacheName) {
    ensureOpen();
    Objects.requireNonNull(cacheName, "cache name must not be null");
    return (Cache<K, V>) caches.get(cacheName);
  }

  @Override
  public Iterable<String> getCacheNames() {
    ensureOpen();
    return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(caches.keySet()));
  }

  @Override
  public void destroyCache(String cacheName) {
    ensureOpen();
    Objects.requireNonNull(cacheName, "cache name must not be null");
    // the entries live on in memcached after a cache is closed, or were made by another JVM, so
    // they are deleted by name whether or not this manager has the cache open: every generation,
    // and the generation record
    String prefix = settings.keyRing().keyCodec(settings.namespace(), cacheName).prefix();
    store.deleteByPrefix(prefix);
    MemcachedCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.close();
    }
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    ensureOpen();
    cacheOrThrow(cacheName).setManagementEnabled(enabled);
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    ensureOpen();
    cacheOrThrow(cacheName).setStatisticsEnabled(enabled);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (MemcachedCache<?, ?> cache : caches.values()) {
      cache.close();
    }
    executor.shutdown();
    provider.release(this);
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isAssignableFrom(getClass())) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("cannot unwrap " + getClass().getName() + " to " + clazz.getName());
  }

  ExecutorService executor() {
    return executor;
  }

  void release(MemcachedCache<?, ?> cache) {
    caches.remove(cache.getName(), cache);
  }

  private MemcachedCache<?, ?> cacheOrThrow(String cacheName) {
    Objects.requireNonNull(cacheName, "cache name must not be null");
    MemcachedCache<?, ?> cache = caches.get(cacheName);
    if (cache == null) {
      throw new IllegalArgumentException("no cache " + cacheName + " in " + uri);
    }
    return cache;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("cache manager " + uri + " is closed");
    }
  }

  @Override
  public String toString() {
    return "MemcachedCacheManager[" + uri + " -> " + settings.servers() + "]";
  }

  private static <K, V> MutableConfiguration<K, V> copyOf(Configuration<K, V> configuration) {
    if (configuration instanceof CompleteConfiguration) {
      return new MutableConfiguration<>((CompleteConfiguration<K, V>) configuration);
    }
    MutableConfiguration<K, V> copy = new MutableConfiguration<>();
    copy.setTypes(configuration.getKeyType(), configuration.getValueType());
    copy.setStoreByValue(configuration.isStoreByValue());
    return copy;
  }
}
