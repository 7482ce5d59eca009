package io.memjcache.config;

/** What cache operations do while no memcached node that should hold a key can be reached. */
public enum WhenUnreachable {
  /** Throw a {@code CacheException} naming the nodes (the default: a cache that silently stops
   * caching hides an outage). */
  FAIL,
  /** Reads miss and writes are dropped (counted, logged once per outage): the application runs
   * on its source of truth, as if memcached had evicted everything. */
  MISS
}
