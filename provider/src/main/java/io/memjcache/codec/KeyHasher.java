package io.memjcache.codec;

/**
 * A keyed hash for memcached key names (see {@code io.memjcache.security}): without its key, the
 * names in a key listing say nothing about the cache keys they hold.
 */
public interface KeyHasher {

  /** Returns at least 18 bytes hashing {@code parts}, each part delimited from the next. */
  byte[] hash(byte[]... parts);
}
