package io.memjcache.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * The replicas a write or delete has reached, each with the life (membership epoch) this client
 * knew it to have when the operation was sent. A node flushed and marked anew since has lost what
 * reached it, and its repair may have copied the other replica's state from before the operation
 * onto it: the operation must reach it again before it is acknowledged, or a delete would be
 * undone, or an older value served (a client paused in the middle of a delete found it so).
 */
final class AppliedOn {

  private final Cluster cluster;
  private final Map<Node, Long> sent = new HashMap<>(4);
  private final Map<Node, Long> reached = new HashMap<>(4);

  AppliedOn(Cluster cluster) {
    this.cluster = cluster;
  }

  /** Notes the node's life as the operation is sent to it. */
  void sending(Node node) {
    sent.put(node, cluster.membership().view(node).epoch());
  }

  /** Records that the operation sent to the node reached it. */
  void reached(Node node) {
    reached.put(node, sent.get(node));
  }

  /** Returns if the operation reached the node in the life this client now knows it to have. */
  boolean contains(Node node) {
    Long epoch = reached.get(node);
    return epoch != null && epoch == cluster.membership().view(node).epoch();
  }
}
