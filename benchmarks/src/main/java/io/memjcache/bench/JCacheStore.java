package io.memjcache.bench;

import java.util.Map;
import java.util.Set;
import javax.cache.Cache;

/** A contender that is a JCache provider: every operation is the plain {@code javax.cache} call. */
final class JCacheStore implements Store {

  private final Cache<String, byte[]> cache;
  private final AutoCloseable resources;

  JCacheStore(Cache<String, byte[]> cache, AutoCloseable resources) {
    this.cache = cache;
    this.resources = resources;
  }

  Cache<String, byte[]> cache() {
    return cache;
  }

  @Override
  public byte[] get(String key) {
    return cache.get(key);
  }

  @Override
  public void put(String key, byte[] value) {
    cache.put(key, value);
  }

  @Override
  public boolean putIfAbsent(String key, byte[] value) {
    return cache.putIfAbsent(key, value);
  }

  @Override
  public boolean replace(String key, byte[] oldValue, byte[] newValue) {
    return cache.replace(key, oldValue, newValue);
  }

  @Override
  public long increment(String key) {
    return cache.invoke(key, Increment.INSTANCE);
  }

  @Override
  public Map<String, byte[]> getAll(Set<String> keys) {
    return cache.getAll(keys);
  }

  @Override
  public void putAll(Map<String, byte[]> entries) {
    cache.putAll(entries);
  }

  @Override
  public void clear() {
    cache.clear();
  }

  @Override
  public void close() {
    try {
      resources.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing " + cache.getName(), e);
    }
  }
}
