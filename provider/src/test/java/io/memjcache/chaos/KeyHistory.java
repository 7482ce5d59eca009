package io.memjcache.chaos;

import java.util.Arrays;

/**
 * What the one worker that owns a key knows about it: the last acknowledged state, the states that
 * unacknowledged (failed) operations since then may have left, and whether an operation is in
 * flight. Values only grow: every write of the key stores a value above any value ever attempted on
 * it, so a value below the acknowledged one is necessarily old.
 *
 * <p>Only the owner thread changes a ledger; reader threads take {@link #snapshot() snapshots}.
 */
final class KeyHistory {

  /** The state of a key that is absent. */
  static final long ABSENT = -1;

  private long seq; // bumped at the start and at the end of every operation
  private long acked = ABSENT;
  private long highest; // highest value ever attempted
  private long[] possible = {ABSENT}; // acked first, then states failed operations may have left
  private long pending = Long.MIN_VALUE; // state the operation in flight would leave
  private boolean unknown; // an operation returned something impossible: state unknown until the next ack
  private final String[] history = new String[6]; // the last operations, for diagnosis
  private int historyNext;

  /** An immutable view of a ledger at one moment. */
  record Snapshot(long seq, long acked, long highest, long[] possible, long pending, boolean unknown) {

    boolean inFlight() {
      return pending != Long.MIN_VALUE;
    }

    /** Returns if {@code read} is a state the key may legitimately be in at this moment. */
    boolean accepts(long read) {
      if (unknown || read == pending) {
        return true;
      }
      for (long p : possible) {
        if (p == read) {
          return true;
        }
      }
      return false;
    }

    boolean certain() {
      return !unknown && possible.length == 1;
    }
  }

  synchronized Snapshot snapshot() {
    return new Snapshot(seq, acked, highest, possible, pending, unknown);
  }

  /** Returns a fresh value for the next write, above every value attempted so far. */
  synchronized long nextValue() {
    return highest + 1;
  }

  synchronized void begin(long attemptedState) {
    seq++;
    pending = attemptedState;
    if (attemptedState > highest) {
      highest = attemptedState;
    }
  }

  synchronized void acknowledged(long state) {
    seq++;
    pending = Long.MIN_VALUE;
    acked = state;
    possible = new long[] {state};
    unknown = false;
  }

  /** The operation threw: it may or may not have left {@code attemptedState}. */
  synchronized void unacknowledged(long attemptedState) {
    seq++;
    pending = Long.MIN_VALUE;
    if (!Arrays.stream(possible).anyMatch(p -> p == attemptedState)) {
      possible = Arrays.copyOf(possible, possible.length + 1);
      possible[possible.length - 1] = attemptedState;
    }
  }

  /** The operation answered something its acknowledged state rules out (already counted). */
  synchronized void contradicted() {
    seq++;
    pending = Long.MIN_VALUE;
    unknown = true;
  }

  /** After verification: take what the cluster holds as the new truth, so scenarios stay independent. */
  synchronized void resync(long observed) {
    seq++;
    pending = Long.MIN_VALUE;
    acked = observed;
    possible = new long[] {observed};
    unknown = false;
    if (observed > highest) {
      highest = observed;
    }
  }

  /** Notes what an operation did, for the report of a key found in a wrong state. */
  synchronized void note(String event) {
    history[historyNext++ % history.length] = event;
  }

  /** The last operations on the key, oldest first. */
  synchronized String history() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < history.length; i++) {
      String event = history[(historyNext + i) % history.length];
      if (event != null) {
        out.append(out.length() == 0 ? "" : "; ").append(event);
      }
    }
    return out.toString();
  }

  synchronized boolean certain() {
    return !unknown && possible.length == 1;
  }

  synchronized long acked() {
    return acked;
  }
}
