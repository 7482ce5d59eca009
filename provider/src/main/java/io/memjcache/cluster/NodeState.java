package io.memjcache.cluster;

/** How the cluster treats a node. */
public enum NodeState {
  /** Serves reads and writes. */
  UP,
  /** Failed an operation: skipped (its keys fall to the next node) and probed in the background. */
  DOWN,
  /**
   * Answered a probe and was flushed, so it holds nothing stale; takes writes and reads (a miss on
   * it is checked on the next replica) while its entries are copied back from its neighbours.
   */
  REPAIRING
}
