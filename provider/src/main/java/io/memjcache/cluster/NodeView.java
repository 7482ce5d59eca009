package io.memjcache.cluster;

/**
 * What one client believes of one node: its state, the epoch of its mark (0 while unknown), and for
 * a JOINING node the time from which keys are routed to it.
 *
 * @param repairer whether this client flushed the node, and so copies its entries back once it is
 *     in use
 */
record NodeView(NodeState state, long epoch, long switchAtMillis, boolean repairer) {

  static final long UNKNOWN_EPOCH = 0;

  /** A node in use whose mark is not known (it did not answer yet): nothing is assumed of it. */
  static final NodeView UNKNOWN = new NodeView(NodeState.UP, UNKNOWN_EPOCH, 0, false);

  static NodeView up(MembershipMark mark) {
    return new NodeView(NodeState.UP, mark.epoch(), mark.switchAtMillis(), false);
  }

  static NodeView joining(MembershipMark mark, boolean repairer) {
    return new NodeView(NodeState.JOINING, mark.epoch(), mark.switchAtMillis(), repairer);
  }

  NodeView down() {
    return new NodeView(NodeState.DOWN, epoch, 0, false);
  }

  NodeView withState(NodeState newState) {
    return new NodeView(newState, epoch, switchAtMillis, repairer);
  }

  /**
   * Returns if keys are routed to the node at {@code nowMillis}. A JOINING node becomes usable at its
   * switch time by the clock alone, so that every client switches at the same moment rather than
   * whenever its background thread next runs.
   */
  boolean usableAt(long nowMillis) {
    return switch (state) {
      case UP, REPAIRING -> true;
      case DOWN -> false;
      case JOINING -> nowMillis >= switchAtMillis;
    };
  }

  /** The state an operator sees: a JOINING node past its switch time is in use, so UP. */
  NodeState shownAt(long nowMillis) {
    return state == NodeState.JOINING && nowMillis >= switchAtMillis ? NodeState.UP : state;
  }
}
