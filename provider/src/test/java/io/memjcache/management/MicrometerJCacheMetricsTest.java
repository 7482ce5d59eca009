package io.memjcache.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.MemcachedCacheManager;
import io.memjcache.MemcachedCachingProvider;
import io.memjcache.ResolvedSettings;
import io.memjcache.config.ManagerUri;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.RealMemcached;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.JCacheMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.List;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Micrometer's {@code JCacheMetrics} on managers opened by every kind of URI the provider takes,
 * including a multi-server {@code memcached://} URI with a query, whose commas and {@code =} would
 * make the JMX name Micrometer builds from {@code getURI()} invalid; on a real 3-node cluster.
 */
@RealMemcached
class MicrometerJCacheMetricsTest {

  static final ClassLoader LOADER = MicrometerJCacheMetricsTest.class.getClassLoader();
  static MemcachedCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = MemcachedCluster.start(3);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void metersMatchTheCacheStatisticsForEveryKindOfUri() {
    MemcachedCachingProvider provider = cluster.closeFirst(new MemcachedCachingProvider());
    Properties props = new Properties();
    props.setProperty("memjcache.servers", cluster.servers());
    for (String uri : List.of("memcached://" + cluster.servers() + "/?copies=2&namespace=metrics-a",
        "memcached://" + cluster.servers() + "/", "memjcache:metrics?region=eu*", "memjcache:metrics-c")) {
      CacheManager manager = provider.getCacheManager(URI.create(uri), LOADER, props);
      Cache<String, String> cache = manager.createCache("c", new MutableConfiguration<String, String>()
          .setTypes(String.class, String.class).setStatisticsEnabled(true));
      MeterRegistry registry = new SimpleMeterRegistry();
      JCacheMetrics.monitor(registry, cache);
      cache.put("k", "v");
      cache.get("k");
      cache.get("k");
      cache.get("absent");
      assertEquals(2.0, registry.get("cache.gets").tag("result", "hit").functionCounter().count(), uri);
      assertEquals(1.0, registry.get("cache.gets").tag("result", "miss").functionCounter().count(), uri);
      assertEquals(1.0, registry.get("cache.puts").functionCounter().count(), uri);
    }
  }

  @Test
  void theEncodedAndThePlainUriNameOneManager() {
    MemcachedCachingProvider provider = cluster.closeFirst(new MemcachedCachingProvider());
    URI plain = URI.create("memcached://" + cluster.servers() + "/?copies=1&namespace=metrics-b");
    CacheManager manager = provider.getCacheManager(plain, LOADER);
    assertFalse(manager.getURI().toString().matches(".*[,=?*].*"), manager.getURI().toString());
    assertSame(manager, provider.getCacheManager(manager.getURI(), LOADER));
    assertSame(manager, provider.getCacheManager(plain, LOADER));
    assertEquals(plain, ManagerUri.plain(manager.getURI()));
    MemcachedCacheManager ours = manager.unwrap(MemcachedCacheManager.class);
    assertEquals(1, ResolvedSettings.of(ours).copies(), "the query still counts");
    assertEquals("metrics-b", ResolvedSettings.of(ours).namespace());
    provider.close(plain, LOADER);
    assertTrue(manager.isClosed(), "close by the plain URI closes it");
  }

  @Test
  void aUriWithoutSuchCharactersIsItsOwnManagerUri() {
    for (String uri : List.of("memjcache:default", "memjcache:shop", "file:/etc/app/memjcache.properties",
        "jar:file:/app.jar!/BOOT-INF/classes/memjcache.properties", "memcached://h1:11211/")) {
      assertEquals(URI.create(uri), ManagerUri.of(URI.create(uri)));
    }
  }
}
