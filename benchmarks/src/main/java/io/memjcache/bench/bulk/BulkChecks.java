package io.memjcache.bench.bulk;

import java.util.BitSet;
import java.util.Iterator;
import javax.cache.Cache;

/**
 * The sanity checks that make a run count: an iteration handed out every entry once with its own
 * value, an emptied cache is empty (to iteration and to reads), and a small cache's operation left
 * the large one beside it whole. A failed check throws, which fails the run.
 */
final class BulkChecks {

  /** Reads checked after an operation: spread evenly over the key range. */
  private static final int SAMPLED_READS = 1000;

  private final BulkCaches caches;

  BulkChecks(BulkCaches caches) {
    this.caches = caches;
  }

  /**
   * Iterates {@code op}'s cache to the end, checking each value against its key as it goes (part of
   * the measured work, as a reader's own use of an entry would be); returns the entries handed out.
   */
  long iterateChecked(BulkOp op) {
    BitSet seen = new BitSet(caches.entriesOf(op));
    long handedOut = 0;
    for (Cache.Entry<Integer, byte[]> entry : caches.cacheOf(op)) {
      int key = entry.getKey();
      if (!caches.isValueOf(key, entry.getValue())) {
        throw new IllegalStateException(op.label() + " handed out a wrong value for key " + key);
      }
      seen.set(key);
      handedOut++;
    }
    expect(op, "entries handed out", caches.entriesOf(op), handedOut);
    expect(op, "distinct keys handed out", caches.entriesOf(op), seen.cardinality());
    return handedOut;
  }

  /** After {@code op} emptied its cache: nothing to iterate, nothing to read. */
  void emptied(BulkOp op) {
    Iterator<Cache.Entry<Integer, byte[]>> left = caches.cacheOf(op).iterator();
    if (left.hasNext()) {
      throw new IllegalStateException(op.label() + " left key " + left.next().getKey() + " to iterate");
    }
    int stride = Math.max(1, caches.entriesOf(op) / SAMPLED_READS);
    for (int key = 0; key < caches.entriesOf(op); key += stride) {
      if (caches.cacheOf(op).get(key) != null) {
        throw new IllegalStateException(op.label() + " left key " + key + " to read");
      }
    }
  }

  /** After a small cache's operation: the large cache still answers every sampled read rightly. */
  void largeIntact(BulkOp op) {
    int stride = Math.max(1, caches.largeEntries() / SAMPLED_READS);
    for (int key = 0; key < caches.largeEntries(); key += stride) {
      byte[] value = caches.large().get(key);
      if (value == null || !caches.isValueOf(key, value)) {
        throw new IllegalStateException(op.label() + " of the small cache touched key " + key
            + " of the large one: " + (value == null ? "gone" : "wrong value"));
      }
    }
  }

  private static void expect(BulkOp op, String what, long expected, long actual) {
    if (expected != actual) {
      throw new IllegalStateException(op.label() + ": " + what + " " + actual + ", expected " + expected);
    }
  }
}
