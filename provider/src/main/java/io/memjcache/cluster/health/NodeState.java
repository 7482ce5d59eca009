package io.memjcache.cluster.health;

/** How one client treats a node. */
public enum NodeState {
  /** Serves reads and writes. */
  UP,
  /**
   * Timed out or dropped its connection: a suspicion, not evidence. Reads go to the key's other
   * replicas; writes to its keys are refused (never acknowledged without it, never routed around
   * it), so it misses nothing and needs no flush when it answers again. Probed often.
   */
  SUSPECTED,
  /**
   * Shown to have failed: its connection is refused, it lost its membership mark, or it stayed
   * unreachable for {@code downAfterMillis}. Skipped: its keys fall to the next node (the stand-in)
   * until it is flushed and readmitted.
   */
  DOWN,
  /**
   * Answered a probe and was flushed (by this client or another): not used until the switch time in
   * its membership mark, when every client starts routing its keys to it at once.
   */
  JOINING,
  /**
   * In use again while its entries are copied back from their other replicas: writes go to it, reads
   * of its keys are answered by their other replica first, until its mark says it is repaired.
   */
  REPAIRING
}
