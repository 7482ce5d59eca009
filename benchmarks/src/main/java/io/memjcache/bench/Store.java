package io.memjcache.bench;

import java.util.Map;
import java.util.Set;

/**
 * The operations every contender performs, each mapped to what that contender would really do: a
 * JCache call for memjcache and Redisson, the equivalent memcached commands for raw spymemcached.
 * Values are raw {@code byte[]}; a counter lives in a value's first 8 bytes (big-endian).
 */
public interface Store extends AutoCloseable {

  byte[] get(String key);

  void put(String key, byte[] value);

  boolean putIfAbsent(String key, byte[] value);

  /** Replaces {@code oldValue} (compared by content) with {@code newValue}. */
  boolean replace(String key, byte[] oldValue, byte[] newValue);

  /** Atomically adds one to the counter in the value's first 8 bytes; returns the new count. */
  long increment(String key);

  Map<String, byte[]> getAll(Set<String> keys);

  void putAll(Map<String, byte[]> entries);

  /** Removes every entry this store can reach (used before pre-loading). */
  void clear();

  @Override
  void close();

  static long counter(byte[] value) {
    long n = 0;
    for (int i = 0; i < 8; i++) {
      n = (n << 8) | (value[i] & 0xFF);
    }
    return n;
  }

  static byte[] incremented(byte[] value) {
    byte[] next = value.clone();
    long n = counter(value) + 1;
    for (int i = 7; i >= 0; i--) {
      next[i] = (byte) n;
      n >>>= 8;
    }
    return next;
  }
}
