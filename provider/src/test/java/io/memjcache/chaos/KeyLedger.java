package io.memjcache.chaos;

/**
 * What one worker knows about one key it owns: the last acknowledged state and, after operations
 * that failed, the states they may or may not have left behind.
 */
final class KeyLedger {

  /** The state of a key that is absent. */
  static final long ABSENT = -1;

  long acked = ABSENT;
  /**
   * States the unacknowledged operations since the last acknowledged one may have written: each of
   * them may have reached some replicas, and the newest version among those wins a later repair.
   */
  final java.util.Set<Long> maybe = new java.util.HashSet<>();

  void acknowledged(long state) {
    acked = state;
    maybe.clear();
  }

  void unacknowledged(long attempted) {
    maybe.add(attempted);
  }

  boolean certain() {
    return maybe.isEmpty();
  }

  /** The highest value an operation on the key attempted so far. */
  long highest() {
    return maybe.stream().mapToLong(Long::longValue).max().orElse(ABSENT);
  }

  /** Returns if a value read back is acceptable. */
  boolean accepts(long read) {
    return read == acked || maybe.contains(read);
  }
}
