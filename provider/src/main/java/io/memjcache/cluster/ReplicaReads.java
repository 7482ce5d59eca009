package io.memjcache.cluster;

import io.memjcache.cluster.health.NodeState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reads of the {@link ReplicatedItemStore}: the first trusted replica answers (UP before
 * REPAIRING before SUSPECTED); a miss is checked on the other home replicas (the first may be a node
 * that returned empty, or one this client does not know was flushed by another), never on a
 * stand-in; a home replica in use that does not answer makes the read fail rather than miss. A CAS
 * read brings the lead in line with the other replicas first, so that one node keeps arbitrating;
 * that copy, like the repair's, is fenced so that it never brings back a delete (see
 * {@link ReplicaCopy}).
 */
final class ReplicaReads {

  private final Cluster cluster;
  private final Replicas routes;

  ReplicaReads(Cluster cluster, Replicas routes) {
    this.cluster = cluster;
    this.routes = routes;
  }

  StoredItem get(String key) {
    cluster.awaitFreshViews();
    Set<Node> failed = new HashSet<>(2);
    for (int attempt = 0; attempt < routes.attempts(); attempt++) {
      List<Node> replicas = routes.forRead(key);
      Node lead = readLead(key, replicas, failed);
      StoredItem item;
      try {
        item = lead.get(key);
      } catch (NodeUnavailableException e) {
        routes.failedOver(lead, e);
        failed.add(lead);
        continue;
      }
      if (item != null && !item.isClaim()) {
        return item.isTombstone() ? null : item;
      }
      return fromOtherReplicas(key, replicas, lead); // a claim: this node has no entry
    }
    throw routes.exhausted(key);
  }

  /**
   * The replica a read asks: the first one, or after it failed in this read (a timeout that did
   * not make it suspected, e.g. across a pause of this JVM) the next home replica, never a stand-in,
   * which may lack older entries. Once every one failed, the first again.
   */
  private Node readLead(String key, List<Node> replicas, Set<Node> failed) {
    for (int i = 0; i < replicas.size(); i++) {
      Node node = replicas.get(i);
      if (!failed.contains(node) && (i == 0 || cluster.routing().isHomeReplica(key, node))) {
        return node;
      }
    }
    failed.clear();
    return replicas.get(0);
  }

  /**
   * Reads with the lead's CAS id. No switch guard here: a commit waits it out and refuses a CAS id
   * of a node that is no longer the lead. While a replica is suspected the item is read like a
   * {@link #get} (a commit would be refused anyway), so a read never waits for a suspect. With
   * {@code readAhead}, the other replicas are read in the same step, for the write to follow.
   */
  StoredItem gets(String key, boolean readAhead) {
    cluster.awaitFreshViews();
    for (int attempt = 0; attempt < routes.attempts(); attempt++) {
      List<Node> replicas = routes.live(key);
      if (replicas.stream().anyMatch(cluster.membership()::isSuspected)) {
        return get(key);
      }
      Node lead = replicas.get(0);
      try {
        reconcileIfRepairing(key, replicas);
        Pending<StoredItem> read = lead.getsAsync(key);
        ReplicaReadAhead ahead = !readAhead || replicas.size() == 1 ? null
            : ReplicaReadAhead.send(key, replicas.subList(1, replicas.size()));
        StoredItem item = read.await();
        if (item != null && !item.isClaim()) {
          // a tombstone too: absent, but its CAS id lets a write replace it
          return ahead == null ? item : item.withReadAhead(ahead);
        }
        if (!copyToLead(key, replicas, item, ahead)) {
          return null;
        }
        // the lead holds the copy now (or a newer write): read its CAS id on the next pass
      } catch (NodeUnavailableException e) {
        routes.failedOver(lead, e);
      }
    }
    throw routes.exhausted(key);
  }

  Map<String, StoredItem> getAll(Collection<String> keys) {
    cluster.awaitFreshViews();
    // sized for every key: rehashing while each node's answers were merged in was ~5 % of a getAll
    Map<String, StoredItem> found = new HashMap<>(keys.size() * 4 / 3 + 1);
    Map<String, Set<Node>> asked = new HashMap<>();
    Set<String> unanswered = new HashSet<>();
    List<String> missing = new ArrayList<>(keys);
    for (int round = 0; round < routes.attempts() && !missing.isEmpty(); round++) {
      missing = getAllRound(missing, asked, found, unanswered);
    }
    missing.retainAll(unanswered);
    if (!missing.isEmpty()) {
      // a replica that did not answer may hold them: a miss would hide them
      throw new NodeUnavailableException(missing.size() + " keys missed where a replica that may hold"
          + " them did not answer, e.g. " + missing.get(0) + " (nodes: " + cluster.getNodeStates() + ")",
          NodeUnavailableException.Kind.REFUSED_HERE, null);
    }
    return found;
  }

  /**
   * Asks, for each key, the next of its replicas not {@code asked} yet, in one multi-get per node,
   * all nodes in parallel; returns the keys still not found, with the nodes asked for them. A node
   * that fails counts as asked, so the next round goes on to the next replica even when the node is
   * still in use (below the failure threshold); its keys are {@code unanswered} until found elsewhere.
   */
  private List<String> getAllRound(List<String> keys, Map<String, Set<Node>> asked,
      Map<String, StoredItem> found, Set<String> unanswered) {
    Map<Node, List<String>> byNode = new LinkedHashMap<>();
    for (String key : keys) {
      Node node = nextToAsk(key, asked.get(key));
      if (node != null) {
        byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(key);
      }
    }
    Map<Node, Pending<Map<String, StoredItem>>> pending = new LinkedHashMap<>();
    byNode.forEach((node, nodeKeys) -> pending.put(node, node.getAllAsync(nodeKeys)));
    List<String> missing = new ArrayList<>();
    for (Map.Entry<Node, Pending<Map<String, StoredItem>>> p : pending.entrySet()) {
      Node node = p.getKey();
      List<String> nodeKeys = byNode.get(node);
      try {
        found.putAll(p.getValue().await());
      } catch (NodeUnavailableException e) {
        routes.failedOver(node, e);
        nodeKeys.forEach(key -> asked.computeIfAbsent(key, k -> new HashSet<>()).add(node));
        unanswered.addAll(nodeKeys);
        missing.addAll(nodeKeys);
        continue;
      }
      for (String key : nodeKeys) {
        StoredItem item = found.get(key);
        if (item != null && item.isClaim()) {
          found.remove(key); // a copy in progress: this node has no entry
          item = null;
        }
        if (item != null && asked.containsKey(key)
            && !servable(node, item, !unanswered.contains(key) && anyTrusted(key, asked.get(key)))) {
          found.remove(key);
          item = null;
        }
        if (item == null) {
          asked.computeIfAbsent(key, k -> new HashSet<>()).add(node);
          missing.add(key);
        } else if (item.isTombstone()) {
          found.remove(key); // being deleted: absent, and its other copies must not be consulted
        } else if (asked.containsKey(key)) {
          cluster.counters().backupReads.increment();
        }
      }
    }
    return missing;
  }

  /**
   * The replica to ask for a key next: its first live replica, then its other live home replicas
   * (never a stand-in, see Routing.isHomeReplica), skipping those already asked; null when none is
   * left.
   */
  private Node nextToAsk(String key, Set<Node> asked) {
    if (asked == null) {
      return cluster.routing().lead(key); // the first round: no list of replicas needed
    }
    List<Node> replicas = cluster.routing().readReplicas(key);
    for (int i = 0; i < replicas.size(); i++) {
      Node node = replicas.get(i);
      if (!asked.contains(node) && (i == 0 || cluster.routing().isHomeReplica(key, node))) {
        return node;
      }
    }
    return null;
  }

  /**
   * Reads a key from its other live home replicas (never a stand-in, see Routing.isHomeReplica);
   * throws if one that did not answer could hold it.
   */
  private StoredItem fromOtherReplicas(String key, List<Node> replicas, Node asked) {
    NodeUnavailableException unanswered = null;
    boolean trustedMissed = anyTrusted(key, List.of(asked));
    for (Node node : replicas) {
      if (node == asked || !cluster.routing().isHomeReplica(key, node)
          || (trustedMissed && cluster.membership().isSuspected(node))) {
        continue; // not needed: the trusted replica holds every acknowledged write
      }
      try {
        StoredItem item = node.get(key);
        if (item != null && !item.isClaim() && servable(node, item, trustedMissed)) {
          cluster.counters().backupReads.increment();
          return item;
        }
      } catch (NodeUnavailableException e) {
        routes.failedOver(node, e);
        unanswered = e;
      }
    }
    if (unanswered != null) {
      throw unanswered; // it may hold the entry: a miss would hide it
    }
    return null;
  }

  /**
   * Returns if an item a node holds may answer a read that another home replica missed. A node in
   * use (UP) may. A node being repaired may not if an UP replica missed ({@code trustedMissed}): that
   * one holds every acknowledged write, and the repair's copy of an entry deleted meanwhile lives on
   * the repaired node until the repair takes it back. Otherwise it may, unless the item predates its
   * switch time (a write of a client that had not yet learned the node was flushed).
   */
  private boolean servable(Node node, StoredItem item, boolean trustedMissed) {
    NodeView view = cluster.membership().view(node);
    if (view.state() == NodeState.UP || item.isTombstone()) {
      return true;
    }
    return !trustedMissed
        && cluster.settings().format().versionOf(item) >= view.switchAtMillis() << 16;
  }

  /**
   * Returns if one of {@code nodes} is a home replica of the key in use (UP): it holds every
   * acknowledged write of the key. A stand-in does not: it has only those made since it stood in.
   */
  private boolean anyTrusted(String key, Collection<Node> nodes) {
    return nodes.stream()
        .anyMatch(n -> cluster.membership().view(n).state() == NodeState.UP && cluster.routing().isHomeReplica(key, n));
  }

  /**
   * While a lead is being repaired, brings the key's entry on it in line with its other home
   * replica before a CAS read, so that no decision is taken on an entry the repair would replace.
   */
  private void reconcileIfRepairing(String key, List<Node> replicas) {
    Node lead = replicas.get(0);
    NodeView view = cluster.membership().view(lead);
    if (view.state() != NodeState.REPAIRING) {
      return;
    }
    for (int i = 1; i < replicas.size(); i++) {
      if (cluster.routing().isHomeReplica(key, replicas.get(i)) && !cluster.membership().isSuspected(replicas.get(i))) {
        ReplicaCopy.reconcile(cluster.settings().format(), key, replicas.get(i), lead, view.switchAtMillis());
        return;
      }
    }
  }

  /**
   * Copies a key the lead misses (or holds {@code claim} for, see ReplicaCopy) from another home
   * replica onto the lead (which may have just returned empty), so that the lead alone arbitrates
   * the conditional write that follows. Only what a read would serve is copied. Returns false if no
   * other replica has such a copy. A replica read {@code ahead} with the lead is not read again.
   */
  private boolean copyToLead(String key, List<Node> replicas, StoredItem claim, ReplicaReadAhead ahead) {
    Node lead = replicas.get(0);
    boolean trustedMissed = anyTrusted(key, List.of(lead));
    for (int i = 1; i < replicas.size(); i++) {
      Node node = replicas.get(i);
      if (!cluster.routing().isHomeReplica(key, node)) {
        continue;
      }
      StoredItem item;
      try {
        item = ahead != null && ahead.has(node) ? ahead.of(node) : node.get(key);
      } catch (NodeUnavailableException e) {
        routes.failedOver(node, e);
        continue;
      }
      if (item != null && !item.isMarker() && servable(node, item, trustedMissed)) {
        cluster.counters().backupReads.increment();
        // copied, or the lead got a write of its own meanwhile: read the lead again
        return ReplicaCopy.copyOnto(cluster.settings().format(), key, node, lead, claim, found -> servable(node, found, trustedMissed))
            != ReplicaCopy.Result.NOTHING;
      }
    }
    if (claim != null) {
      lead.delete(key, claim.cas()); // a stopped copy's: gone, so that an add can decide on the lead
    }
    return false;
  }
}
