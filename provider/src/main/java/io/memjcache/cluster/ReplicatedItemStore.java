package io.memjcache.cluster;

import io.memjcache.codec.EnvelopeCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 *       ring; one that is SUSPECTED is given until one operation timeout after the suspicion to
 *       answer or be shown down, then makes the write fail. A write is never acknowledged while a
 *       replica in use lacks it.
 *   <li><b>Conditional writes</b> (add, cas, delete with cas) are decided by the lead alone, then
 *       copied to the other replicas in version order, over nothing but the write's own history:
 *       a write decided on a replica without it (after its lead failed) makes it fail rather than
 *       both stand. A lead that fails makes the write fail (it may have been applied: deciding
 *       again could apply it twice); a failure after the decision too.
 *   <li><b>Reads</b> ask the first trusted replica (UP before REPAIRING before SUSPECTED); a miss is
 *       checked on the other home replicas (the first may be a node that returned empty, or one
 *       this client does not know was flushed by another), never on a stand-in; a home replica in
 *       use that does not answer makes the read fail rather than miss. A CAS read brings the lead
 *       in line with the other replicas first, so that one node keeps arbitrating; that copy, like
 *       the repair's, is fenced so that it never brings back a delete (see {@link ReplicaCopy}).
 * </ul>
 */
public final class ReplicatedItemStore implements ItemStore {

  /** How long a tombstone outlives a deleting client that died between its steps. */
  static final int TOMBSTONE_SECONDS = 30;

  /** Pipelined passes over bulk deletes that timed out before they go one by one (see deleteCopies). */
  static final int BULK_ATTEMPTS = 3;

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
      if (item != null && !item.isClaim()) {
        return item.isTombstone() ? null : item;
      }
      return fromOtherReplicas(key, replicas, lead); // a claim: this node has no entry
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
        if (item != null && !item.isClaim()) {
          return item; // a tombstone too: absent, but its CAS id lets a write replace it
        }
        if (!copyToLead(key, replicas, item)) {
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
        if (item != null && !item.isClaim() && servable(node, item, trustedMissed)) {
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
        && ReplicaCopy.versionOf(item) >= view.switchAtMillis() << 16;
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
   * Copies a key the lead misses (or holds {@code claim} for, see ReplicaCopy) from another home
   * replica onto the lead (which may have just returned empty), so that the lead alone arbitrates
   * the conditional write that follows. Only what a read would serve is copied. Returns false if no
   * other replica has such a copy.
   */
  private boolean copyToLead(String key, List<NodeClient> replicas, StoredItem claim) {
    NodeClient lead = replicas.get(0);
    boolean trustedMissed = anyTrusted(key, List.of(lead));
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
      if (item != null && !item.isMarker() && servable(node, item, trustedMissed)) {
        cluster.counters().backupReads.increment();
        // copied, or the lead got a write of its own meanwhile: read the lead again
        return ReplicaCopy.copyOnto(key, node, lead, claim, found -> servable(node, found, trustedMissed))
            != ReplicaCopy.Result.NOTHING;
      }
    }
    if (claim != null) {
      lead.delete(key, claim.cas()); // a stopped copy's: gone, so that an add can decide on the lead
    }
    return false;
  }

  // ------------------------------------------------------------------ writes

  @Override
  public void set(String key, int exptime, byte[] bytes) {
    cluster.awaitFreshViews();
    cluster.awaitStableRouting(key);
    replicate(key, exptime, bytes, new AppliedOn(cluster));
  }

  @Override
  public void setAll(List<ItemWrite> writes) {
    cluster.awaitFreshViews();
    Map<ItemWrite, Map<NodeClient, OperationFuture<Boolean>>> pending = new LinkedHashMap<>();
    Map<ItemWrite, AppliedOn> applied = new HashMap<>();
    for (ItemWrite write : writes) {
      cluster.awaitStableRouting(write.key());
      AppliedOn done = new AppliedOn(cluster);
      pending.put(write, sendSets(write.key(), write.exptime(), write.bytes(), done));
      applied.put(write, done);
    }
    // each write is then completed where it failed, or where a node's life changed meanwhile
    pending.forEach((write, futures) -> {
      awaitSets(futures, applied.get(write));
      replicate(write.key(), write.exptime(), write.bytes(), applied.get(write));
    });
  }

  @Override
  public WriteOutcome add(String key, int exptime, byte[] bytes) {
    return decidedByLead(key, exptime, bytes, Long.MIN_VALUE, lead -> lead.add(key, exptime, bytes));
  }

  @Override
  public WriteOutcome cas(String key, StoredItem expected, int exptime, byte[] bytes) {
    return decidedByLead(key, exptime, bytes, ReplicaCopy.versionOf(expected),
        lead -> isFrom(expected, lead)
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
  private WriteOutcome decidedByLead(String key, int exptime, byte[] bytes, long replacedVersion,
      java.util.function.Function<NodeClient, WriteOutcome> write) {
    cluster.awaitFreshViews();
    cluster.awaitStableRouting(key);
    NodeClient lead = writeReplicas(key).get(0);
    long leadEpoch = cluster.view(lead).epoch();
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
      replicateInOrder(new Decided(key, exptime, bytes, versionOf(bytes), replacedVersion, lead, leadEpoch));
    }
    return outcome;
  }

  /**
   * A write the lead decided ({@code bytes} null: a delete), the version it replaced there
   * ({@code Long.MIN_VALUE} for none), and the lead's membership epoch when it decided.
   */
  private record Decided(String key, int exptime, byte[] bytes, long version, long replacedVersion,
      NodeClient lead, long leadEpoch) {}

  @Override
  public boolean delete(String key) {
    cluster.awaitFreshViews();
    cluster.awaitStableRouting(key);
    return deleteEverywhere(key, new AppliedOn(cluster));
  }

  /**
   * Deletes all, pipelined, in windows of {@link #BULK_WINDOW} keys: in each, first every copy
   * but the leads', then the leads' (see below). Keys with a replica being repaired are deleted one
   * by one, as {@link #delete(String)} does. The window bounds what this client has in flight on a
   * node, so that its own deletes never queue long enough to time out, on its own operations or on
   * other threads'.
   */
  @Override
  public int deleteAll(Collection<String> keys) {
    cluster.awaitFreshViews();
    List<String> all = keys instanceof List<String> list ? list : new ArrayList<>(keys);
    int removed = 0;
    for (int from = 0; from < all.size(); from += BULK_WINDOW) {
      removed += deleteWindow(all.subList(from, Math.min(all.size(), from + BULK_WINDOW)));
    }
    return removed;
  }

  private int deleteWindow(List<String> keys) {
    List<String> pipelined = new ArrayList<>(keys.size());
    List<String> oneByOne = new ArrayList<>();
    for (String key : keys) {
      (writeReplicas(key).stream().anyMatch(this::isRepairing) ? oneByOne : pipelined).add(key);
    }
    deleteCopies(pipelined, false);
    int removed = deleteCopies(pipelined, true);
    for (String key : oneByOne) {
      removed += delete(key) ? 1 : 0;
    }
    return removed;
  }

  /**
   * Deletes the leads' copies of the keys, or their other copies, pipelined; returns how many leads
   * held an item. Pipelined deletes that timed out are not held against their node: they may have
   * waited behind this client's own window (issue 16). They are sent again, pipelined, up to
   * {@link #BULK_ATTEMPTS} times, and then deleted one key at a time, where a timeout counts as for
   * any single operation.
   */
  private int deleteCopies(List<String> keys, boolean leads) {
    int removed = 0;
    List<String> left = keys;
    for (int attempt = 0; attempt < BULK_ATTEMPTS && !left.isEmpty(); attempt++) {
      List<String> timedOut = new ArrayList<>();
      removed += deletePhase(left, leads, timedOut);
      left = timedOut;
    }
    for (String key : left) {
      // everywhere: deletes repeat harmlessly
      removed += deleteEverywhere(key, new AppliedOn(cluster)) && leads ? 1 : 0;
    }
    return removed;
  }

  /**
   * Sends the deletes to the leads or to the other copies, then awaits them; returns how many found
   * an item, and adds to {@code timedOut} the keys whose delete timed out. Once a node timed out, its
   * deletes still queued are not awaited: one timeout per node and pass is enough.
   */
  private int deletePhase(Collection<String> keys, boolean leads, List<String> timedOut) {
    long startNanos = System.nanoTime();
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
    Set<NodeClient> late = new HashSet<>(2);
    int removed = 0;
    for (Map.Entry<String, Map<NodeClient, OperationFuture<Boolean>>> p : pending.entrySet()) {
      boolean failed = false;
      boolean again = false;
      boolean found = false;
      for (Map.Entry<NodeClient, OperationFuture<Boolean>> f : p.getValue().entrySet()) {
        NodeClient node = f.getKey();
        if (late.contains(node) && !f.getValue().isDone()) {
          f.getValue().cancel(); // cancel(boolean) is deprecated: it ignores the flag
          again = true;
          continue;
        }
        try {
          found |= node.awaitDelete(f.getValue());
        } catch (NodeUnavailableException e) {
          if (e.kind() == NodeUnavailableException.Kind.TIMEOUT
              || e.kind() == NodeUnavailableException.Kind.TIMEOUT_WHILE_PAUSED) {
            late.add(node);
            again = true;
          } else {
            failedOver(node, e);
            failed = true;
          }
        }
      }
      if (failed || (!again && PauseDetector.jvm().stalledSince(startNanos))) {
        // everywhere again: deletes repeat harmlessly
        found |= deleteEverywhere(p.getKey(), new AppliedOn(cluster));
      } else if (again) {
        timedOut.add(p.getKey());
      }
      removed += leads && found ? 1 : 0;
    }
    return removed;
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
    long leadEpoch = cluster.view(lead).epoch();
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
    replicateInOrder(
        new Decided(key, 0, null, Long.MIN_VALUE, ReplicaCopy.versionOf(expected), lead, leadEpoch));
    lead.delete(key, tombstone); // a write that replaced the tombstone meanwhile stays
    return WriteOutcome.APPLIED;
  }

  @Override
  public KeyListing keys(String prefix, KeyListing.Coverage coverage) {
    List<NodeClient> usable = cluster.nodes().stream().filter(n -> cluster.isUsable(n.server())).toList();
    usable.forEach(NodeClient::checkListable);
    return new NodeByNodeListing(usable, prefix, coverage, cluster.counters().keysListed,
        (node, key) -> coverage == KeyListing.Coverage.EVERY_COPY || isFirstReader(node, key),
        this::failedOver);
  }

  /** Whether a node is the replica a read of the key asks first. */
  private boolean isFirstReader(NodeClient node, String key) {
    List<NodeClient> readers = cluster.readReplicas(key);
    return !readers.isEmpty() && readers.get(0) == node;
  }

  // ------------------------------------------------------------------ replication

  /**
   * Stores an item on every live replica not in {@code done}; a replica that fails is marked down
   * and the next live node of the ring takes its place.
   */
  private void replicate(String key, int exptime, byte[] bytes, AppliedOn done) {
    for (int attempt = 0; attempt <= attempts; attempt++) {
      cluster.awaitFreshViews(); // after a pause in the middle: a node flushed meanwhile needs it again
      Map<NodeClient, OperationFuture<Boolean>> futures = sendSets(key, exptime, bytes, done);
      if (futures.isEmpty()) {
        return; // every replica in use now has it, also if the placement changed meanwhile
      }
      awaitSets(futures, done);
    }
    // a replica still in use never stored it: never acknowledged without its copy
    throw exhausted(key);
  }

  /** Sends the item to every live replica not in {@code done}, noting the life each has then. */
  private Map<NodeClient, OperationFuture<Boolean>> sendSets(String key, int exptime, byte[] bytes,
      AppliedOn done) {
    Map<NodeClient, OperationFuture<Boolean>> futures = new LinkedHashMap<>();
    for (NodeClient node : writeReplicas(key)) {
      if (!done.contains(node)) {
        done.sending(node);
        futures.put(node, node.setAsync(key, exptime, bytes));
      }
    }
    return futures;
  }

  /**
   * Copies a write the lead decided to the other live replicas, in version order: copies of two
   * decided writes may arrive in either order, and a plain set could leave a replica with the older
   * one (found by ReplicationBugRepro#bug4).
   */
  private void replicateInOrder(Decided write) {
    Set<NodeClient> done = new HashSet<>(List.of(write.lead()));
    for (int attempt = 0; attempt < attempts; attempt++) {
      boolean failed = false;
      for (NodeClient node : writeReplicas(write.key())) {
        if (done.contains(node)) {
          continue;
        }
        try {
          applyInOrder(node, write);
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
    throw exhausted(write.key());
  }

  /**
   * Stores (or deletes) a decided write on a replica over what it holds from the write's history. A
   * write from outside that history must have come through the lead after this one, and stays;
   * otherwise another client decided on this replica without this write (the lead failed after
   * deciding it), and both cannot stand: this one fails, its outcome unknown, rather than hand out a
   * result twice or wipe the other.
   */
  private void applyInOrder(NodeClient node, Decided write) {
    String key = write.key();
    for (int attempt = 0; attempt < ORDERED_WRITE_ATTEMPTS; attempt++) {
      StoredItem current = node.gets(key);
      boolean absent = current == null || current.isMarker();
      if (!absent && !isHistoryOf(write, node, current)) {
        long found = ReplicaCopy.versionOf(current);
        if (found == write.version() || leadHolds(write, found)) {
          return;
        }
        throw new javax.cache.CacheException("the outcome of a write to " + key + " is unknown: "
            + write.lead().server() + " decided it and then failed or was flushed, and "
            + node.server() + " holds another write made without it");
      }
      WriteOutcome outcome;
      if (write.bytes() == null) {
        if (absent) {
          return; // a tombstone: another delete under way
        }
        outcome = node.delete(key, current.cas());
      } else {
        outcome = current == null
            ? node.add(key, write.exptime(), write.bytes())
            : node.cas(key, current.cas(), write.exptime(), write.bytes());
      }
      if (outcome == WriteOutcome.APPLIED) {
        return;
      }
    }
    throw new javax.cache.CacheException("could not copy " + key + " to " + node.server() + " after "
        + ORDERED_WRITE_ATTEMPTS + " conflicting writes");
  }

  /**
   * Whether a decided write may replace an item a replica holds: the item it replaced on the lead or
   * an older one, an expired entry, or on a node being repaired, one written before its switch time
   * (see {@link #servable}).
   */
  private boolean isHistoryOf(Decided write, NodeClient node, StoredItem current) {
    long version = ReplicaCopy.versionOf(current);
    NodeView view = cluster.view(node);
    return version <= write.replacedVersion()
        || EnvelopeCodec.expiresAtOf(current.flags(), current.bytes()) <= System.currentTimeMillis()
        || (view.state() == NodeState.REPAIRING && version < view.switchAtMillis() << 16);
  }

  /**
   * Whether the lead holds {@code found} (a write a replica holds from outside this write's history)
   * or a later one, under the membership epoch it had when it decided this write: then {@code found}
   * reached the replica through the lead, a copy that overtook this one or a plain write racing it.
   * Waits up to one operation timeout for a racing write to land on the lead.
   */
  private boolean leadHolds(Decided write, long found) {
    NodeClient lead = write.lead();
    long deadline = System.nanoTime()
        + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(cluster.settings().operationTimeoutMillis());
    try {
      do {
        MembershipMark mark = lead.mark();
        StoredItem held = lead.get(write.key());
        if (mark == null || mark.epoch() != write.leadEpoch()) {
          return false; // flushed since: what it held is gone
        }
        long version = ReplicaCopy.versionOf(held); // MIN_VALUE for none or a marker
        if (version == found || (found > write.version() && version > found)) {
          return true;
        }
        Thread.sleep(1);
      } while (System.nanoTime() < deadline);
    } catch (NodeUnavailableException e) {
      failedOver(lead, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private static long versionOf(byte[] bytes) {
    return EnvelopeCodec.versionOf(EnvelopeCodec.FLAGS, bytes);
  }

  private void awaitSets(Map<NodeClient, OperationFuture<Boolean>> futures, AppliedOn done) {
    futures.forEach((node, future) -> {
      try {
        node.awaitSet(future);
        done.reached(node);
      } catch (NodeUnavailableException e) {
        cluster.counters().replicaWriteFailures.increment();
        failedOver(node, e);
      }
    });
  }

  /**
   * Deletes every live copy not in {@code done}, the lead last: while any copy remains, the lead
   * still holds one, so a miss on the lead never sends a reader to a copy about to disappear. On a
   * node being repaired the copy is replaced by a tombstone instead, removed once every other copy
   * is gone: the repair may be copying the key there from a replica this delete has not reached
   * yet, and its copy cannot replace a tombstone (see ReplicaCopy). A tombstone does not count as a
   * removed copy: a node being repaired holds no acknowledged write the other replicas lack.
   */
  private boolean deleteEverywhere(String key, AppliedOn done) {
    boolean any = false;
    Map<NodeClient, Long> tombstones = new HashMap<>(1);
    for (int attempt = 0; attempt <= attempts; attempt++) {
      cluster.awaitFreshViews(); // after a pause in the middle: a node flushed meanwhile needs it again
      List<NodeClient> order = new ArrayList<>(writeReplicas(key));
      java.util.Collections.reverse(order);
      if (order.stream().allMatch(done::contains)) {
        tombstones.forEach((node, cas) -> removeTombstone(node, key, cas));
        return any;
      }
      for (NodeClient node : order) {
        if (!done.contains(node)) {
          try {
            done.sending(node);
            if (isRepairing(node)) {
              tombstones.put(node, node.setTombstone(key, TOMBSTONE_SECONDS));
            } else {
              any |= node.delete(key);
            }
            done.reached(node);
          } catch (NodeUnavailableException e) {
            // never on to the lead while a copy may remain: a reader missing on the lead would
            // copy it back (a delete timed out across a pause, then went to the lead first)
            failedOver(node, e);
            break;
          }
        }
      }
    }
    throw exhausted(key);
  }

  private boolean isRepairing(NodeClient node) {
    return cluster.view(node).state() == NodeState.REPAIRING;
  }

  /** Removes a tombstone this client left, unless a write replaced it since. */
  private void removeTombstone(NodeClient node, String key, long cas) {
    try {
      node.delete(key, cas);
    } catch (NodeUnavailableException e) {
      failedOver(node, e); // it expires on its own
    }
  }

  /** The replicas a read asks, trusted ones first (see Cluster.readReplicas). */
  private List<NodeClient> readReplicas(String key) {
    return nonEmpty(key, cluster.readReplicas(key));
  }

  /**
   * The replicas a write goes to, the lead first. A write to the keys of a node this client only
   * suspects waits for a verdict (see {@link Cluster#awaitVerdict}), and is refused if none comes:
   * routed elsewhere it would leave the node, which others may still use, with an older value than
   * the one acknowledged (DESIGN invariant 3).
   */
  private List<NodeClient> writeReplicas(String key) {
    for (int attempt = 0; attempt < attempts; attempt++) {
      List<NodeClient> replicas = nonEmpty(key, cluster.replicas(key));
      NodeClient suspect = replicas.stream().filter(cluster::isSuspected).findFirst().orElse(null);
      if (suspect == null) {
        return replicas;
      }
      if (!cluster.awaitVerdict(suspect)) {
        throw new NodeUnavailableException("memcached " + suspect.server() + " is suspected (it timed"
            + " out or dropped its connection and has not answered since): writes to its keys are"
            + " refused until it answers or is shown to be down", NodeUnavailableException.Kind.REFUSED_HERE, null);
      }
    }
    throw exhausted(key);
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
