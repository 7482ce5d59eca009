package io.memjcache.cluster;

import io.memjcache.cluster.health.NodeState;
import java.util.List;

/**
 * Which replicas an operation of the {@link ReplicatedItemStore} goes to, and what a failure there
 * means: the steps its reads, writes and deletes share.
 */
final class Replicas {

  private final Cluster cluster;
  private final int attempts;

  Replicas(Cluster cluster) {
    this.cluster = cluster;
    // every node may need failureThreshold timeouts before the next one is tried
    this.attempts = cluster.nodes().size() * cluster.settings().failureThreshold() + 1;
  }

  /**
   * Readies one write of {@code key}: every write of the store begins here. This client's views of
   * the nodes are made fresh (after a pause of this JVM, a node may have been flushed meanwhile) and
   * the key's routing stable ({@link Membership#awaitStableRouting}: no switch of its replicas and no
   * decision of another client on its way to a replica taking over while it is sent).
   */
  void beginWrite(String key) {
    cluster.awaitFreshViews();
    cluster.membership().awaitStableRouting(key);
  }

  /**
   * Readies a batch of writes: fresh views once; each key is then readied by {@link #awaitStable}
   * just before it is sent.
   */
  void beginBatch() {
    cluster.awaitFreshViews();
  }

  /** Readies one key of a batch begun with {@link #beginBatch}. */
  void awaitStable(String key) {
    cluster.membership().awaitStableRouting(key);
  }

  /** How many rounds over a key's replicas an operation makes before it gives up. */
  int attempts() {
    return attempts;
  }

  /** The live replicas of a key, the lead first; throws if there is none. */
  List<Node> live(String key) {
    return nonEmpty(key, cluster.routing().replicas(key));
  }

  boolean isRepairing(Node node) {
    return cluster.membership().view(node).state() == NodeState.REPAIRING;
  }

  /** The replicas a read asks, trusted ones first (see Routing.readReplicas). */
  List<Node> forRead(String key) {
    return nonEmpty(key, cluster.routing().readReplicas(key));
  }

  /**
   * The replicas a write goes to, the lead first. A write to the keys of a node this client only
   * suspects waits for a verdict (see {@link Cluster#awaitVerdict}), and is refused if none comes:
   * routed elsewhere it would leave the node, which others may still use, with an older value than
   * the one acknowledged (DESIGN invariant 3).
   */
  List<Node> forWrite(String key) {
    for (int attempt = 0; attempt < attempts; attempt++) {
      List<Node> replicas = live(key);
      Node suspect = replicas.stream().filter(cluster.membership()::isSuspected).findFirst().orElse(null);
      if (suspect == null) {
        return replicas;
      }
      if (!cluster.awaitVerdict(suspect)) {
        throw new NodeUnavailableException("memcached " + suspect.server() + " is suspected (it timed"
            + " out or dropped its connection and has not answered since): writes to its keys are"
            + " refused until it answers or is shown to be down", NodeUnavailableException.Kind.REFUSED_HERE, null);
      }
      // the verdict may be DOWN: the operation's wait after a node goes down (see
      // Membership.awaitStableRouting) was made before it, and a decision must not overtake another
      // client's made on the node just before
      cluster.membership().awaitStableRouting(key);
    }
    throw exhausted(key);
  }

  private List<Node> nonEmpty(String key, List<Node> replicas) {
    if (replicas.isEmpty()) {
      throw new NodeUnavailableException("no memcached node is up for key " + key + " (nodes: "
          + cluster.getNodeStates() + "; servers from memjcache.servers)",
          NodeUnavailableException.Kind.REFUSED_HERE, null);
    }
    return replicas;
  }

  /** Records a failure against the node that failed: {@code node}, or another one {@code e} names. */
  void failedOver(Node node, NodeUnavailableException e) {
    cluster.counters().failovers.increment();
    cluster.failed(cluster.routing().nodeOf(e, node), e);
  }

  NodeUnavailableException exhausted(String key) {
    return new NodeUnavailableException("no replica of key " + key + " answered (nodes: "
        + cluster.getNodeStates() + ")", NodeUnavailableException.Kind.REFUSED_HERE, null);
  }
}
