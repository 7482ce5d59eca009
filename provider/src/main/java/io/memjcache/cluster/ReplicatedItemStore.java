package io.memjcache.cluster;

import io.memjcache.codec.EnvelopeCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.spy.memcached.internal.BulkFuture;
import net.spy.memcached.internal.OperationFuture;

/**
 * Items on {@code copies} nodes each: the first live replica of a key (its "lead") serves reads and
 * arbitrates CAS; the others receive every acknowledged write.
 *
 * <ul>
 *   <li><b>Writes</b> go to every replica in use in parallel and return once each has stored them.
 *       A replica that fails is tried again; one that is DOWN is replaced by the next node of the
 *       ring; one that is SUSPECTED makes the write fail. A write is never acknowledged while a
 *       replica in use lacks it.
 *   <li><b>Conditional writes</b> (add, cas, delete with cas) are decided by the lead alone, then
 *       copied to the other replicas in version order. A lead that fails makes the write fail (it
 *       may have been applied: deciding again could apply it twice); a failure after the decision
 *       too.
 *   <li><b>Reads</b> ask the first trusted replica (UP before REPAIRING before SUSPECTED); a miss is
 *       checked on the other home replicas (the first may be a node that returned empty, or one
 *       this client does not know was flushed by another), never on a stand-in; a home replica in
 *       use that does not answer makes the read fail rather than miss. A CAS read brings the lead
 *       in line with the other replicas first, so that one node keeps arbitrating.
 * </ul>
 */
public final class ReplicatedItemStore implements ItemStore {

  /** How long a tombstone outlives a deleting client that died between its steps. */
  static final int TOMBSTONE_SECONDS = 30;

  /** Bound of the read-compare-write loop that copies a decided write to one replica. */
  static final int ORDERED_WRITE_ATTEMPTS = 1000;

  private final Cluster cluster;
  private final int attempts;

  public ReplicatedItemStore(Cluster cluster) {
    this.cluster = cluster;
    // every node may need failureThreshold timeouts before the next one is tried
    this.attempts = cluster.nodes().size() * cluster.settings().failureThreshold() + 1;
  }

  // ------------------------------------------------------------------ reads

  @Override
  public StoredItem get(String key) {
    cluster.awaitFreshViews();
    Set<NodeClient> failed = new HashSet<>(2);
    for (int attempt = 0; attempt < attempts; attempt++) {
      List<NodeClient> replicas = readReplicas(key);
      NodeClient lead = readLead(key, replicas, failed);
      StoredItem item;
      try {
        item = lead.get(key);
      } catch (NodeUnavailableException e) {
        failedOver(lead, e);
        failed.add(lead);
        continue;
      }
      if (item != null) {
        return item.isTombstone() ? null : item;
      }
      return fromOtherReplicas(key, replicas, lead);
    }
    throw exhausted(key);
  }

  /**
   * The replica a read asks: the first one, or after it failed in this read (a timeout that did
   * not make it suspected, e.g. across a pause of this JVM) the next home replica, never a stand-in,
   * which may lack older entries. Once every one failed, the first again.
   */
  private NodeClient readLead(String key, List<NodeClient> replicas, Set<NodeClient> failed) {
    for (int i = 0; i < replicas.size(); i++) {
      NodeClient node = replicas.get(i);
      if (!failed.contains(node) && (i == 0 || cluster.isHomeReplica(key, node))) {
        return node;
      }
    }
    failed.clear();
    return replicas.get(0);
  }

  /**
   * Reads with the lead's CAS id. No switch guard here: a commit waits it out and refuses a CAS id
   * of a node that is no longer the lead. While a replica is suspected the item is read like a
   * {@link #get} (a commit would be refused anyway), so a read never waits for a suspect.
   */
  @Override
  public StoredItem gets(String key) {
    cluster.awaitFreshViews();
    for (int attempt = 0; attempt < attempts; attempt++) {
      List<NodeClient> replicas = nonEmpty(key, cluster.replicas(key));
      if (replicas.stream().anyMatch(cluster::isSuspected)) {
        return get(key);
      }
      NodeClient lead = replicas.get(0);
      try {
        reconcileIfRepairing(key, replicas);
        StoredItem item = lead.gets(key);
        if (item != null) {
          return item; // a tombstone too: absent, but its CAS id lets a write replace it
        }
        if (!copyToLead(key, replicas)) {
          return null;
        }
        // the lead holds the copy now (or a newer write): read its CAS id on the next pass
      } catch (NodeUnavailableException e) {
        failedOver(lead, e);
      }
    }
    throw exhausted(key);
  }

  @Override
  public Map<String, StoredItem> getAll(Collection<String> keys) {
    cluster.awaitFreshViews();
    // sized for every key: rehashing while each node's answers were merged in was ~5 % of a getAll
    Map<String, StoredItem> found = new HashMap<>(keys.size() * 4 / 3 + 1);
    Map<String, Set<NodeClient>> asked = new HashMap<>();
    Set<String> unanswered = new HashSet<>();
    List<String> missing = new ArrayList<>(keys);
    for (int round = 0; round < attempts && !missing.isEmpty(); round++) {
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
  private List<String> getAllRound(List<String> keys, Map<String, Set<NodeClient>> asked,
      Map<String, StoredItem> found, Set<String> unanswered) {
    Map<NodeClient, List<String>> byNode = new LinkedHashMap<>();
    for (String key : keys) {
      NodeClient node = nextToAsk(key, asked.get(key));
      if (node != null) {
        byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(key);
      }
    }
    Map<NodeClient, BulkFuture<Map<String, StoredItem>>> pending = new LinkedHashMap<>();
    byNode.forEach((node, nodeKeys) -> pending.put(node, node.getAllAsync(nodeKeys)));
    List<String> missing = new ArrayList<>();
    for (Map.Entry<NodeClient, BulkFuture<Map<String, StoredItem>>> p : pending.entrySet()) {
      NodeClient node = p.getKey();
      List<String> nodeKeys = byNode.get(node);
      try {
        found.putAll(node.awaitAll(p.getValue()));
      } catch (NodeUnavailableException e) {
        failedOver(node, e);
        nodeKeys.forEach(key -> asked.computeIfAbsent(key, k -> new HashSet<>()).add(node));
        unanswered.addAll(nodeKeys);
        missing.addAll(nodeKeys);
        continue;
      }
      for (String key : nodeKeys) {
        StoredItem item = found.get(key);
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
   * (never a stand-in, see Cluster.isHomeReplica), skipping those already asked; null when none is
   * left.
   */
  private NodeClient nextToAsk(String key, Set<NodeClient> asked) {
    if (asked == null) {
      return cluster.lead(key); // the first round: no list of replicas needed
    }
    List<NodeClient> replicas = cluster.readReplicas(key);
    for (int i = 0; i < replicas.size(); i++) {
      NodeClient node = replicas.get(i);
      if (!asked.contains(node) && (i == 0 || cluster.isHomeReplica(key, node))) {
        return node;
      }
    }
    return null;
  }

  /**
   * Reads a key from its other live home replicas (never a stand-in, see Cluster.isHomeReplica);
   * throws if one that did not answer could hold it.
   */
  private StoredItem fromOtherReplicas(String key, List<NodeClient> replicas, NodeClient asked) {
    NodeUnavailableException unanswered = null;
    boolean trustedMissed = anyTrusted(key, List.of(asked));
    for (NodeClient node : replicas) {
      if (node == asked || !cluster.isHomeReplica(key, node)
          || (trustedMissed && cluster.isSuspected(node))) {
        continue; // not needed: the trusted replica holds every acknowledged write
      }
      try {
        StoredItem item = node.get(key);
        if (item != null && servable(node, item, trustedMissed)) {
          cluster.counters().backupReads.increment();
          return item;
        }
      } catch (NodeUnavailableException e) {
        failedOver(node, e);
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
  private boolean servable(NodeClient node, StoredItem item, boolean trustedMissed) {
    NodeView view = cluster.view(node);
    if (view.state() == NodeState.UP || item.isTombstone()) {
      return true;
    }
    return !trustedMissed
        && EnvelopeCodec.versionOf(item.flags(), item.bytes()) >= view.switchAtMillis() << 16;
  }

  /**
   * Returns if one of {@code nodes} is a home replica of the key in use (UP): it holds every
   * acknowledged write of the key. A stand-in does not: it has only those made since it stood in.
   */
  private boolean anyTrusted(String key, Collection<NodeClient> nodes) {
    return nodes.stream()
        .anyMatch(n -> cluster.view(n).state() == NodeState.UP && cluster.isHomeReplica(key, n));
  }

  /**
   * While a lead is being repaired, brings the key's entry on it in line with its other home
   * replica before a CAS read, so that no decision is taken on an entry the repair would replace.
   */
  private void reconcileIfRepairing(String key, List<NodeClient> replicas) {
    NodeClient lead = replicas.get(0);
    NodeView view = cluster.view(lead);
    if (view.state() != NodeState.REPAIRING) {
      return;
    }
    for (int i = 1; i < replicas.size(); i++) {
      if (cluster.isHomeReplica(key, replicas.get(i)) && !cluster.isSuspected(replicas.get(i))) {
        ReplicaCopy.reconcile(key, replicas.get(i), lead, view.switchAtMillis());
        return;
      }
    }
  }

  /**
   * Copies a key the lead misses from another home replica onto the lead (which may have just
   * returned empty), so that the lead alone arbitrates the conditional write that follows. Returns
   * false if no other replica has a live copy.
   */
  private boolean copyToLead(String key, List<NodeClient> replicas) {
    for (int i = 1; i < replicas.size(); i++) {
      NodeClient node = replicas.get(i);
      if (!cluster.isHomeReplica(key, node)) {
        continue;
      }
      StoredItem item;
      try {
        item = node.get(key);
      } catch (NodeUnavailableException e) {
        failedOver(node, e);
        continue;
      }
      if (item != null) {
        cluster.counters().backupReads.increment();
        // copied, or the lead got a write of its own meanwhile: read the lead again
        return ReplicaCopy.copy(key, item, node, replicas.get(0)) != ReplicaCopy.Result.NOTHING;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ writes

  @Override
  public void set(String key, int exptime, byte[] bytes) {
    cluster.awaitFreshViews();
    cluster.awaitStableRouting(key);
    replicate(key, exptime, bytes, new HashSet<>());
  }

  @Override
  public void setAll(List<ItemWrite> writes) {
    cluster.awaitFreshViews();
    Map<ItemWrite, Map<NodeClient, OperationFuture<Boolean>>> pending = new LinkedHashMap<>();
    for (ItemWrite write : writes) {
      cluster.awaitStableRouting(write.key());
      Map<NodeClient, OperationFuture<Boolean>> futures = new LinkedHashMap<>();
      for (NodeClient node : writeReplicas(write.key())) {
        futures.put(node, node.setAsync(write.key(), write.exptime(), write.bytes()));
      }
      pending.put(write, futures);
    }
    pending.forEach((write, futures) -> {
      Set<NodeClient> done = awaitSets(futures);
      if (done.size() < futures.size()) {
        replicate(write.key(), write.exptime(), write.bytes(), done);
      }
    });
  }

  @Override
  public WriteOutcome add(String key, int exptime, byte[] bytes) {
    return decidedByLead(key, exptime, bytes, lead -> lead.add(key, exptime, bytes));
  }

  @Override
  public WriteOutcome cas(String key, StoredItem expected, int exptime, byte[] bytes) {
    return decidedByLead(key, exptime, bytes, lead -> isFrom(expected, lead)
        ? lead.cas(key, expected.cas(), exptime, bytes)
        : WriteOutcome.CONFLICT);
  }

  /**
   * Returns if an item was read from {@code lead}: if the lead changed since (a node failed or
   * joined), the CAS id is another node's and the decision must be taken again on a fresh read.
   */
  private static boolean isFrom(StoredItem expected, NodeClient lead) {
    return lead.server().equals(expected.source());
  }

  /**
   * Lets the lead decide a conditional write, then copies the result to the other replicas. A lead
   * that fails makes the write fail: it may or may not have been applied.
   */
  private WriteOutcome decidedByLead(String key, int exptime, byte[] bytes,
      java.util.function.Function<NodeClient, WriteOutcome> write) {
    cluster.awaitFreshViews();
    cluster.awaitStableRouting(key);
    NodeClient lead = writeReplicas(key).get(0);
    WriteOutcome outcome;
    try {
      outcome = write.apply(lead);
    } catch (NodeUnavailableException e) {
      // sent, maybe applied (a reply lost to a pause or a dropped connection): a conflict would
      // make the caller decide again and apply a second time, so the outcome is reported unknown
      failedOver(lead, e);
      throw e;
    }
    if (outcome == WriteOutcome.APPLIED) {
      // decided: a failure from here on is not a conflict (a read would find this very write) but
      // an unacknowledged write, reported as such
      replicateInOrder(key, exptime, bytes, lead);
    }
    return outcome;
  }

  @Override
  public boolean delete(String key) {
    cluster.awaitFreshViews();
    cluster.awaitStableRouting(key);
    return deleteEverywhere(key, new HashSet<>());
  }

  /** Deletes all, pipelined: first every copy but the leads', then the leads' (see below). */
  @Override
  public void deleteAll(Collection<String> keys) {
    cluster.awaitFreshViews();
    deletePhase(keys, false);
    deletePhase(keys, true);
  }

  private void deletePhase(Collection<String> keys, boolean leads) {
    Map<String, Map<NodeClient, OperationFuture<Boolean>>> pending = new LinkedHashMap<>();
    for (String key : keys) {
      cluster.awaitStableRouting(key);
      Map<NodeClient, OperationFuture<Boolean>> futures = new LinkedHashMap<>();
      List<NodeClient> replicas = writeReplicas(key);
      for (NodeClient node : leads ? replicas.subList(0, 1) : replicas.subList(1, replicas.size())) {
        futures.put(node, node.deleteAsync(key));
      }
      pending.put(key, futures);
    }
    pending.forEach((key, futures) -> {
      Set<NodeClient> done = new HashSet<>();
      futures.forEach((node, future) -> {
        try {
          node.awaitDelete(future);
          done.add(node);
        } catch (NodeUnavailableException e) {
          failedOver(node, e);
        }
      });
      if (done.size() < futures.size()) {
        deleteEverywhere(key, done);
      }
    });
  }

  /**
   * Deletes if the lead's item is still {@code expected}. The lead's item is first replaced by a
   * tombstone (the atomic decision), then the other copies are deleted, then the tombstone: at no
   * moment can a reader miss on the lead and find an old copy elsewhere to copy back.
   */
  @Override
  public WriteOutcome delete(String key, StoredItem expected) {
    cluster.awaitFreshViews();
    cluster.awaitStableRouting(key);
    NodeClient lead = writeReplicas(key).get(0);
    if (!isFrom(expected, lead)) {
      return WriteOutcome.CONFLICT;
    }
    long tombstone;
    try {
      tombstone = lead.tombstone(key, expected.cas(), TOMBSTONE_SECONDS);
      if (tombstone < 0) {
        return lead.gets(key) == null ? WriteOutcome.NOT_FOUND : WriteOutcome.CONFLICT;
      }
    } catch (NodeUnavailableException e) {
      failedOver(lead, e); // maybe applied: unknown, as in decidedByLead
      throw e;
    }
    // decided, as in decidedByLead: failures from here on are unacknowledged deletes, not conflicts
    deleteEverywhere(key, new HashSet<>(List.of(lead)));
    lead.delete(key, tombstone); // a write that replaced the tombstone meanwhile stays
    return WriteOutcome.APPLIED;
  }

  @Override
  public List<String> keys(String prefix) {
    Set<String> keys = new LinkedHashSet<>();
    for (NodeClient node : cluster.nodes()) {
      if (cluster.isUsable(node.server())) {
        try {
          keys.addAll(node.keys(prefix));
        } catch (NodeUnavailableException e) {
          failedOver(node, e);
        }
      }
    }
    return new ArrayList<>(keys);
  }

  // ------------------------------------------------------------------ replication

  /**
   * Stores an item on every live replica not in {@code done}; a replica that fails is marked down
   * and the next live node of the ring takes its place.
   */
  private void replicate(String key, int exptime, byte[] bytes, Set<NodeClient> done) {
    for (int attempt = 0; attempt <= attempts; attempt++) {
      Map<NodeClient, OperationFuture<Boolean>> futures = new LinkedHashMap<>();
      for (NodeClient node : writeReplicas(key)) {
        if (!done.contains(node)) {
          futures.put(node, node.setAsync(key, exptime, bytes));
        }
      }
      if (futures.isEmpty()) {
        return; // every replica in use now has it, also if the placement changed meanwhile
      }
      done.addAll(awaitSets(futures));
    }
    // a replica still in use never stored it: never acknowledged without its copy
    throw exhausted(key);
  }

  /**
   * Copies a write the lead decided to the other live replicas, keeping on each the higher version:
   * copies of two decided writes may arrive in either order, and a plain set could leave a replica
   * with the older one (found by ReplicationBugRepro#bug4).
   */
  private void replicateInOrder(String key, int exptime, byte[] bytes, NodeClient lead) {
    long version = EnvelopeCodec.versionOf(EnvelopeCodec.FLAGS, bytes);
    Set<NodeClient> done = new HashSet<>(List.of(lead));
    for (int attempt = 0; attempt < attempts; attempt++) {
      boolean failed = false;
      for (NodeClient node : writeReplicas(key)) {
        if (done.contains(node)) {
          continue;
        }
        try {
          storeIfNewer(node, key, exptime, bytes, version);
          done.add(node);
        } catch (NodeUnavailableException e) {
          cluster.counters().replicaWriteFailures.increment();
          failedOver(node, e);
          failed = true;
        }
      }
      if (!failed) {
        return;
      }
    }
    throw exhausted(key);
  }

  private void storeIfNewer(NodeClient node, String key, int exptime, byte[] bytes, long version) {
    for (int attempt = 0; attempt < ORDERED_WRITE_ATTEMPTS; attempt++) {
      StoredItem current = node.gets(key);
      if (current != null && !current.isTombstone()
          && EnvelopeCodec.versionOf(current.flags(), current.bytes()) >= version) {
        return; // a later decided write is already there
      }
      WriteOutcome outcome = current == null
          ? node.add(key, exptime, bytes)
          : node.cas(key, current.cas(), exptime, bytes);
      if (outcome == WriteOutcome.APPLIED) {
        return;
      }
    }
    throw new javax.cache.CacheException("could not copy " + key + " to " + node.server() + " after "
        + ORDERED_WRITE_ATTEMPTS + " conflicting writes");
  }

  private Set<NodeClient> awaitSets(Map<NodeClient, OperationFuture<Boolean>> futures) {
    Set<NodeClient> stored = new HashSet<>();
    futures.forEach((node, future) -> {
      try {
        node.awaitSet(future);
        stored.add(node);
      } catch (NodeUnavailableException e) {
        cluster.counters().replicaWriteFailures.increment();
        failedOver(node, e);
      }
    });
    return stored;
  }

  /**
   * Deletes every live copy not in {@code done}, the lead last: while any copy remains, the lead
   * still holds one, so a miss on the lead never sends a reader to a copy about to disappear.
   */
  private boolean deleteEverywhere(String key, Set<NodeClient> done) {
    boolean any = false;
    for (int attempt = 0; attempt < attempts; attempt++) {
      boolean failed = false;
      List<NodeClient> order = new ArrayList<>(writeReplicas(key));
      java.util.Collections.reverse(order);
      for (NodeClient node : order) {
        if (!done.contains(node)) {
          try {
            any |= node.delete(key);
            done.add(node);
          } catch (NodeUnavailableException e) {
            failedOver(node, e);
            failed = true;
          }
        }
      }
      if (!failed) {
        return any;
      }
    }
    throw exhausted(key);
  }

  /** The replicas a read asks, trusted ones first (see Cluster.readReplicas). */
  private List<NodeClient> readReplicas(String key) {
    return nonEmpty(key, cluster.readReplicas(key));
  }

  /**
   * The replicas a write goes to, the lead first. A write to the keys of a node this client only
   * suspects is refused: routed elsewhere it would leave the node, which others may still use,
   * with an older value than the one acknowledged (DESIGN invariant 3).
   */
  private List<NodeClient> writeReplicas(String key) {
    List<NodeClient> replicas = nonEmpty(key, cluster.replicas(key));
    for (NodeClient node : replicas) {
      if (cluster.isSuspected(node)) {
        throw new NodeUnavailableException("memcached " + node.server() + " is suspected (it timed out"
            + " or dropped its connection and has not answered since): writes to its keys are refused"
            + " until it answers or is shown to be down", NodeUnavailableException.Kind.REFUSED_HERE, null);
      }
    }
    return replicas;
  }

  private List<NodeClient> nonEmpty(String key, List<NodeClient> replicas) {
    if (replicas.isEmpty()) {
      throw new NodeUnavailableException("no memcached node is up for key " + key + " (nodes: "
          + cluster.getNodeStates() + "; servers from " + io.memjcache.config.Settings.SERVERS + ")",
          NodeUnavailableException.Kind.REFUSED_HERE, null);
    }
    return replicas;
  }

  /** Records a failure against the node that failed: {@code node}, or another one {@code e} names. */
  private void failedOver(NodeClient node, NodeUnavailableException e) {
    cluster.counters().failovers.increment();
    cluster.failed(cluster.nodeOf(e, node), e);
  }

  private NodeUnavailableException exhausted(String key) {
    return new NodeUnavailableException("no replica of key " + key + " answered (nodes: "
        + cluster.getNodeStates() + ")", NodeUnavailableException.Kind.REFUSED_HERE, null);
  }
}
