package io.memjcache.cluster;

/** How the cluster treats a node. */
public enum NodeState {
  /** Serves reads and writes. */
  UP,
  /** Failed an operation: skipped (its keys fall to the next node) and probed in the background. */
  DOWN,
  /**
   * Answered a probe and was flushed (by this client or another): not used until the switch time in
   * its membership mark, when every client starts routing its keys to it at once.
   */
  JOINING,
  /**
   * In use again, while this client (the one that flushed it) copies its entries back from their
   * other replicas; a miss on it meanwhile is answered by the next replica.
   */
  REPAIRING
}
