package io.memjcache.cluster;

import io.memjcache.cluster.health.NodeState;

/**
 * What one client believes of one node: its state, the epoch of its mark (0 while unknown), for a
 * JOINING node the time from which keys are routed to it, and for a SUSPECTED or DOWN one since when.
 *
 * @param repairer whether this client flushed the node, and so copies its entries back once it is
 *     in use
 * @param downAtMillis for a SUSPECTED node a {@link DownNotice} condemned: when it goes DOWN (0: none)
 */
record NodeView(NodeState state, long epoch, long switchAtMillis, boolean repairer, long sinceMillis,
    long downAtMillis) {

  static final long UNKNOWN_EPOCH = 0;

  /** A node in use whose mark is not known (it did not answer yet): nothing is assumed of it. */
  static final NodeView UNKNOWN = new NodeView(NodeState.UP, UNKNOWN_EPOCH, 0, false, 0, 0);

  /** A node in use: UP once its mark says repaired, REPAIRING before. */
  static NodeView inUse(MembershipMark mark) {
    return new NodeView(mark.repaired() ? NodeState.UP : NodeState.REPAIRING, mark.epoch(),
        mark.switchAtMillis(), false, 0, 0);
  }

  static NodeView joining(MembershipMark mark, boolean repairer) {
    return new NodeView(NodeState.JOINING, mark.epoch(), mark.switchAtMillis(), repairer, 0, 0);
  }

  /** Down from {@code nowMillis} on (kept in {@code sinceMillis}). */
  NodeView down(long nowMillis) {
    return new NodeView(NodeState.DOWN, epoch, 0, false, nowMillis, 0);
  }

  NodeView suspected(long nowMillis) {
    return new NodeView(NodeState.SUSPECTED, epoch, switchAtMillis, repairer, nowMillis, 0);
  }

  /** Suspected and condemned: DOWN for every client from {@code fromMillis}, whatever it answers. */
  NodeView condemned(long nowMillis, long fromMillis) {
    long since = state == NodeState.SUSPECTED ? sinceMillis : nowMillis;
    return new NodeView(NodeState.SUSPECTED, epoch, switchAtMillis, false, since, fromMillis);
  }

  boolean isCondemned() {
    return downAtMillis != 0;
  }

  NodeView withState(NodeState newState) {
    return new NodeView(newState, epoch, switchAtMillis, repairer, sinceMillis, downAtMillis);
  }

  /**
   * Returns if writes to the node's keys go to it at {@code nowMillis} (a SUSPECTED node's keys are
   * not routed elsewhere: their writes are refused). A JOINING node takes them from its switch time
   * by the clock alone, so that every client switches at the same moment rather than whenever its
   * background thread next runs.
   */
  boolean usableAt(long nowMillis) {
    return switch (state) {
      case UP, REPAIRING, SUSPECTED -> true;
      case DOWN -> false;
      case JOINING -> nowMillis >= switchAtMillis;
    };
  }

  /** The state an operator sees: a JOINING node past its switch time is in use, being repaired. */
  NodeState shownAt(long nowMillis) {
    return state == NodeState.JOINING && nowMillis >= switchAtMillis ? NodeState.REPAIRING : state;
  }
}
