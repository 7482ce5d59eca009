package io.memjcache;

import java.util.Objects;
import javax.cache.Cache;
import javax.cache.CacheManager;

/** Where an open cache stores a key now (its generation's name), for tests in any package. */
public final class StoredKeys {

  private StoredKeys() {}

  /** The memcached key of {@code key} in the open cache {@code cacheName} of {@code manager}. */
  public static String memcachedKey(CacheManager manager, String cacheName, Object key) {
    return memcachedKey(Objects.requireNonNull(manager.getCache(cacheName),
        () -> "open cache " + cacheName + " before asking where it stores a key"), key);
  }

  /** The memcached key of {@code key} in {@code cache}. */
  @SuppressWarnings("unchecked")
  public static String memcachedKey(Cache<?, ?> cache, Object key) {
    return ((MemcachedCache<Object, ?>) cache.unwrap(MemcachedCache.class)).memcachedKeyOf(key);
  }
}
