package io.memjcache.chaos;

/**
 * What one worker knows about one key it owns: the last acknowledged state and, after an operation
 * that failed, the state it may or may not have left behind.
 */
final class KeyLedger {

  /** The state of a key that is absent. */
  static final long ABSENT = -1;

  long acked = ABSENT;
  /** A state an unacknowledged operation may have written; {@code null} when nothing is in doubt. */
  Long maybe;

  void acknowledged(long state) {
    acked = state;
    maybe = null;
  }

  void unacknowledged(long attempted) {
    maybe = attempted;
  }

  boolean certain() {
    return maybe == null;
  }

  /** Returns if a value read back is acceptable. */
  boolean accepts(long read) {
    return read == acked || (maybe != null && read == maybe);
  }
}
