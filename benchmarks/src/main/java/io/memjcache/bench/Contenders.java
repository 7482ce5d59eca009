package io.memjcache.bench;

import io.memjcache.MemcachedCachingProvider;
import io.memjcache.testkit.MemcachedCluster;
import java.net.URI;
import java.util.List;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.jcache.configuration.RedissonConfiguration;

/**
 * Opens a contender by name. The memcached contenders get a fresh 3-node cluster of real memcached
 * processes (the testkit's, on free 127.0.0.1 ports) that closes with the store; Redisson talks to
 * the redis-server named by the system property {@value #REDIS_PROPERTY}, which run.sh starts.
 */
final class Contenders {

  static final String MEMJCACHE_1 = "memjcache-c1";
  static final String MEMJCACHE_2 = "memjcache-c2";
  /** memjcache-c2 with a shared secret: sealed entries and keyed key names. */
  static final String MEMJCACHE_SEALED = "memjcache-sealed";
  /** A fixed benchmark secret (32 bytes, base64): nothing secret is benchmarked. */
  static final String BENCH_SECRET = "1=" + java.util.Base64.getEncoder().encodeToString(new byte[] {
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
      27, 28, 29, 30, 31, 32});
  static final String SPYMEMCACHED = "spymemcached";
  static final String REDISSON = "redisson";

  /** {@code host:port} of the redis-server for the Redisson contender. */
  static final String REDIS_PROPERTY = "bench.redis";

  /** memcached memory per node (MB): room for every workload's entries without eviction. */
  static final String MEMCACHED_MB = System.getProperty("bench.memcachedMb", "1024");

  static final String CACHE_NAME = "bench";

  // The spymemcached contender keeps spymemcached's default logger (stderr, INFO, level checked
  // first). memjcache forks log through io.memjcache.cluster.SpyLogger, which also asks the level
  // first; the provider as committed would pick spymemcached's SunLogger, which builds a Throwable on
  // every call of the I/O loop (proposals/cluster-spy-logger.diff makes SpyLogger the default).
  // -Dbench.spyLogger=sun measures the provider's current default instead.

  private Contenders() {}

  static Store open(String contender) {
    switch (contender) {
      case MEMJCACHE_1:
        return memjcache(1, null);
      case MEMJCACHE_2:
        return memjcache(2, null);
      case MEMJCACHE_SEALED:
        return memjcache(2, BENCH_SECRET);
      case SPYMEMCACHED:
        return spymemcached();
      case REDISSON:
        return redisson();
      default:
        throw new IllegalArgumentException("unknown contender " + contender);
    }
  }

  private static MemcachedCluster cluster() {
    return MemcachedCluster.start(3, List.of("-m", MEMCACHED_MB, "-o", "lru_crawler_sleep=0"));
  }

  private static Store memjcache(int copies, String secret) {
    if (!"sun".equals(System.getProperty("bench.spyLogger"))
        && System.getProperty("net.spy.log.LoggerImpl") == null) {
      System.setProperty("net.spy.log.LoggerImpl", "io.memjcache.cluster.SpyLogger");
    }
    MemcachedCluster cluster = cluster();
    try {
      Properties props = new Properties();
      props.setProperty("memjcache.servers", cluster.servers());
      props.setProperty("memjcache.copies", Integer.toString(copies));
      if (secret != null) {
        props.setProperty("memjcache.secret", secret);
      }
      MemcachedCachingProvider provider = new MemcachedCachingProvider();
      CacheManager manager = provider.getCacheManager(URI.create("memjcache:bench"),
          Contenders.class.getClassLoader(), props);
      Cache<String, byte[]> cache = manager.createCache(CACHE_NAME,
          new MutableConfiguration<String, byte[]>().setTypes(String.class, byte[].class));
      return new JCacheStore(cache, () -> {
        try {
          manager.close();
          provider.close();
        } finally {
          cluster.close();
        }
      });
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static Store spymemcached() {
    MemcachedCluster cluster = cluster();
    try {
      return new SpyStore(cluster.servers(), cluster);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static Store redisson() {
    String address = System.getProperty(REDIS_PROPERTY);
    if (address == null || address.isBlank()) {
      throw new IllegalStateException("the redisson contender needs -D" + REDIS_PROPERTY
          + "=127.0.0.1:PORT naming a running redis-server (benchmarks/run.sh starts one)");
    }
    Config config = new Config();
    config.useSingleServer().setAddress("redis://" + address);
    RedissonClient client = Redisson.create(config);
    try {
      client.getKeys().flushall(); // whatever an earlier fork left behind
      CachingProvider provider = Caching.getCachingProvider("org.redisson.jcache.JCachingProvider");
      CacheManager manager = provider.getCacheManager(provider.getDefaultURI(),
          Contenders.class.getClassLoader());
      Cache<String, byte[]> cache = manager.createCache(CACHE_NAME, RedissonConfiguration.fromInstance(
          client, new MutableConfiguration<String, byte[]>().setTypes(String.class, byte[].class)));
      return new JCacheStore(cache, () -> {
        try {
          manager.destroyCache(CACHE_NAME);
          manager.close();
        } finally {
          client.getKeys().flushall();
          client.shutdown();
        }
      });
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
  }
}
