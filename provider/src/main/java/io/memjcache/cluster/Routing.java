package io.memjcache.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which nodes serve a key now, in this client's view: the live replicas its writes go to (the
 * lead first), and the order its reads ask them. {@link Placement} says where keys live,
 * {@link Membership} which nodes are usable; a SUSPECTED node keeps its place, so that nothing is
 * written around a suspicion.
 */
final class Routing {

  private final Placement placement;
  private final Membership membership;
  private final Map<ServerAddress, Node> nodes;
  private final int copies;

  Routing(Placement placement, Membership membership, Map<ServerAddress, Node> nodes, int copies) {
    this.placement = placement;
    this.membership = membership;
    this.nodes = nodes;
    this.copies = copies;
  }

  /**
   * The replica a read asks first: the first live replica if this client trusts it, else the
   * first of {@link #readReplicas}; null if none is live.
   */
  Node lead(String key) {
    ServerAddress first = placement.first(key, membership.usableNow());
    if (first == null) {
      return null;
    }
    if (membership.isUp(nodes.get(first))) {
      return nodes.get(first);
    }
    List<Node> readers = readReplicas(key);
    return readers.isEmpty() ? null : readers.get(0);
  }

  /**
   * The live replicas of a key, the one that arbitrates CAS first: where its writes go. A SUSPECTED
   * node stays in the list, so that its keys are never written elsewhere on a suspicion.
   */
  List<Node> replicas(String key) {
    List<Node> result = new ArrayList<>(copies);
    placement.replicas(key, membership.usableNow()).forEach(s -> result.add(nodes.get(s)));
    return result;
  }

  /**
   * The live replicas of a key in the order reads ask them: ring order (home replicas before a
   * stand-in, which has only the writes made since it stood in), except that a home replica in use
   * (UP) goes before one being repaired (which may lack an entry or, written by a client that
   * learned of its flush late, hold an older one), and suspects go last, asked only when nothing
   * else is left.
   */
  List<Node> readReplicas(String key) {
    List<Node> result = replicas(key);
    result.sort(Comparator.comparing(membership::isSuspected));
    if (result.size() > 1 && !membership.isUp(result.get(0)) && membership.isUp(result.get(1))
        && isHomeReplica(key, result.get(1))) {
      Collections.swap(result, 0, 1);
    }
    return result;
  }

  /** The client of the node that failed with {@code e}, or {@code fallback} if it names none. */
  Node nodeOf(NodeUnavailableException e, Node fallback) {
    Node node = e.node() == null ? null : nodes.get(e.node());
    return node == null ? fallback : node;
  }

  /**
   * Returns if a node is one of a key's own replicas, those it has when every node is up. A stand-in
   * is not: its copy dates from an outage and may since have been deleted or overwritten on the
   * key's own replicas, so a read must never fall back to it.
   */
  boolean isHomeReplica(String key, Node node) {
    return placement.isHome(key, node.server());
  }
}
