package io.memjcache.bench.bulk;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;

/**
 * The two caches of a run, on the same servers: "large" with the run's size and "small" with its
 * few entries, keys {@code 0..n-1}, values of a fixed size that start with their key (so a value
 * handed out under the wrong key is seen). Knows which cache an operation emptied and reloads it,
 * with {@code putAll} in batches, before the next operation on it; loading is never measured.
 */
final class BulkCaches {

  private static final int LOAD_BATCH = 1000;
  private static final byte FILLER = 'v';

  private final Cache<Integer, byte[]> large;
  private final Cache<Integer, byte[]> small;
  private final int largeEntries;
  private final int smallEntries;
  private final int valueBytes;
  private boolean largeLoaded;
  private boolean smallLoaded;

  BulkCaches(CacheManager manager, int largeEntries, int smallEntries, int valueBytes) {
    MutableConfiguration<Integer, byte[]> config =
        new MutableConfiguration<Integer, byte[]>().setTypes(Integer.class, byte[].class);
    this.large = manager.createCache("large", config);
    this.small = manager.createCache("small", config);
    this.largeEntries = largeEntries;
    this.smallEntries = smallEntries;
    this.valueBytes = valueBytes;
  }

  Cache<Integer, byte[]> cacheOf(BulkOp op) {
    return op.small() ? small : large;
  }

  int entriesOf(BulkOp op) {
    return op.small() ? smallEntries : largeEntries;
  }

  /** The large cache, which the small operations run beside. */
  Cache<Integer, byte[]> large() {
    return large;
  }

  int largeEntries() {
    return largeEntries;
  }

  /**
   * Loads what {@code op} needs: its cache, and for a small operation the large cache too.
   * Returns the milliseconds spent loading (0 when nothing needed it).
   */
  long prepare(BulkOp op) {
    long start = System.nanoTime();
    if (!largeLoaded) {
      load(large, largeEntries);
      largeLoaded = true;
    }
    if (op.small() && !smallLoaded) {
      load(small, smallEntries);
      smallLoaded = true;
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Records that {@code op} ran: an operation that empties its cache makes it need a reload. */
  void ran(BulkOp op) {
    if (op.empties()) {
      if (op.small()) {
        smallLoaded = false;
      } else {
        largeLoaded = false;
      }
    }
  }

  /** The value stored under {@code key}: the key's 4 bytes, then a filler. */
  byte[] valueOf(int key) {
    byte[] value = new byte[valueBytes];
    Arrays.fill(value, FILLER);
    ByteBuffer.wrap(value).putInt(key);
    return value;
  }

  /** Whether {@code value} is {@link #valueOf}{@code (key)}, without allocating (it runs per entry). */
  boolean isValueOf(int key, byte[] value) {
    if (value.length != valueBytes || ByteBuffer.wrap(value).getInt() != key) {
      return false;
    }
    for (int i = Integer.BYTES; i < value.length; i++) {
      if (value[i] != FILLER) {
        return false;
      }
    }
    return true;
  }

  private void load(Cache<Integer, byte[]> cache, int entries) {
    Map<Integer, byte[]> batch = new HashMap<>();
    for (int key = 0; key < entries; key++) {
      batch.put(key, valueOf(key));
      if (batch.size() == LOAD_BATCH || key == entries - 1) {
        cache.putAll(batch);
        batch.clear();
      }
    }
  }
}
