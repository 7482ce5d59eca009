package io.memjcache.bench.contended;

import io.memjcache.MemcachedCachingProvider;
import java.net.URI;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;

/**
 * The cache every JVM of the contended benchmark opens, by the same URI and name, so all of them
 * share its entries: 2 copies (the default), {@code String} keys, {@code byte[]} values whose first 8
 * bytes are a counter ({@link io.memjcache.bench.Store#counter}).
 */
final class CounterCache implements AutoCloseable {

  private static final URI URI_OF_BENCH = URI.create("memjcache:contended-bench");
  private static final String NAME = "counters";

  private final MemcachedCachingProvider provider = new MemcachedCachingProvider();
  private final CacheManager manager;
  private final Cache<String, byte[]> cache;

  CounterCache(String servers, long operationTimeoutMillis) {
    Properties props = new Properties();
    props.setProperty("memjcache.servers", servers);
    props.setProperty("memjcache.copies", "2");
    props.setProperty("memjcache.operationTimeoutMillis", Long.toString(operationTimeoutMillis));
    try {
      manager = provider.getCacheManager(URI_OF_BENCH, CounterCache.class.getClassLoader(), props);
      cache = manager.createCache(NAME, new MutableConfiguration<String, byte[]>()
          .setTypes(String.class, byte[].class));
    } catch (RuntimeException e) {
      provider.close();
      throw e;
    }
  }

  Cache<String, byte[]> cache() {
    return cache;
  }

  @Override
  public void close() {
    try {
      manager.close();
    } finally {
      provider.close();
    }
  }
}
