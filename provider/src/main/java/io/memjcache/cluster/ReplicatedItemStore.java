package io.memjcache.cluster;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Items on {@code copies} nodes each: the first live replica of a key (its "lead") serves reads and
 * arbitrates CAS; the others receive every acknowledged write.
 *
 * <ul>
 *   <li><b>Writes</b> go to every replica in use in parallel and return once each has stored them
 *       ({@link ReplicaSets}). A write is never acknowledged while a replica in use lacks it.
 *   <li><b>Conditional writes</b> (add, cas, delete with cas) read every replica in one step, are
 *       decided by the lead alone, then copied to the other replicas in version order ({@link
 *       DecisionCopies}). A lead that fails makes the write fail (it may have been applied: deciding
 *       again could apply it twice); a failure after the decision too.
 *   <li><b>Reads</b> ask the first trusted replica, and the other home replicas on a miss
 *       ({@link ReplicaReads}); deletes reach every copy, the lead last ({@link ReplicaDeletes}).
 * </ul>
 *
 * <p>Every write begins with {@link Replicas#beginWrite} (fresh views, stable routing), and every
 * failure of a replica goes through {@link Replicas#failedOver}: the failover shared by all paths.
 */
public final class ReplicatedItemStore implements ItemStore {

  /** How long a tombstone outlives a deleting client that died between its steps. */
  static final int TOMBSTONE_SECONDS = 30;

  private final Cluster cluster;
  private final Replicas routes;
  private final ReplicaReads reads;
  private final ReplicaSets sets;
  private final DecisionCopies copies;
  private final ReplicaDeletes deletes;

  public ReplicatedItemStore(Cluster cluster) {
    this.cluster = cluster;
    this.routes = new Replicas(cluster);
    this.reads = new ReplicaReads(cluster, routes);
    this.sets = new ReplicaSets(cluster, routes);
    this.copies = new DecisionCopies(cluster, routes);
    this.deletes = new ReplicaDeletes(cluster, routes);
  }

  @Override
  public StoredItem get(String key) {
    return reads.get(key);
  }

  @Override
  public StoredItem gets(String key) {
    return reads.gets(key, false);
  }

  /** Reads every replica in one step; see {@link ReplicaReadAhead}. */
  @Override
  public StoredItem getsForWrite(String key) {
    return reads.gets(key, true);
  }

  @Override
  public Map<String, StoredItem> getAll(Collection<String> keys) {
    return reads.getAll(keys);
  }

  @Override
  public void set(String key, int exptime, byte[] bytes) {
    sets.set(key, exptime, bytes);
  }

  @Override
  public void setAll(List<ItemWrite> writes) {
    sets.setAll(writes);
  }

  @Override
  public WriteOutcome add(String key, int exptime, byte[] bytes) {
    return decidedByLead(key, exptime, bytes, Long.MIN_VALUE, null, lead -> lead.add(key, exptime, bytes));
  }

  @Override
  public WriteOutcome cas(String key, StoredItem expected, int exptime, byte[] bytes) {
    return decidedByLead(key, exptime, bytes, cluster.settings().format().versionOf(expected),
        expected.readAhead(),
        lead -> isFrom(expected, lead)
            ? lead.cas(key, expected.cas(), exptime, bytes)
            : WriteOutcome.CONFLICT);
  }

  /**
   * Returns if an item was read from {@code lead}: if the lead changed since (a node failed or
   * joined), the CAS id is another node's and the decision must be taken again on a fresh read.
   */
  private static boolean isFrom(StoredItem expected, Node lead) {
    return lead.server().equals(expected.source());
  }

  /**
   * Lets the lead decide a conditional write, then copies the result to the other replicas. A lead
   * that fails makes the write fail: it may or may not have been applied.
   */
  private WriteOutcome decidedByLead(String key, int exptime, byte[] bytes, long replacedVersion,
      ReplicaReadAhead readAhead, java.util.function.Function<Node, WriteOutcome> write) {
    routes.beginWrite(key);
    Node lead = routes.forWrite(key).get(0);
    long leadEpoch = cluster.membership().view(lead).epoch();
    WriteOutcome outcome;
    try {
      outcome = write.apply(lead);
    } catch (NodeUnavailableException e) {
      // sent, maybe applied (a reply lost to a pause or a dropped connection): a conflict would
      // make the caller decide again and apply a second time, so the outcome is reported unknown
      routes.failedOver(lead, e);
      throw e;
    }
    if (outcome == WriteOutcome.APPLIED) {
      // decided: a failure from here on is not a conflict (a read would find this very write) but
      // an unacknowledged write, reported as such
      copies.replicateInOrder(
          new DecidedWrite(key, exptime, bytes, versionOf(bytes), replacedVersion, lead, leadEpoch, readAhead));
    }
    return outcome;
  }

  @Override
  public boolean delete(String key) {
    return deletes.delete(key);
  }

  /** See {@link ReplicaDeletes#deleteAll}. */
  @Override
  public int deleteAll(Collection<String> keys) {
    return deletes.deleteAll(keys);
  }

  /**
   * Deletes if the lead's item is still {@code expected}. The lead's item is first replaced by a
   * tombstone (the atomic decision), then the other copies are deleted, then the tombstone: at no
   * moment can a reader miss on the lead and find an old copy elsewhere to copy back.
   */
  @Override
  public WriteOutcome delete(String key, StoredItem expected) {
    routes.beginWrite(key);
    Node lead = routes.forWrite(key).get(0);
    if (!isFrom(expected, lead)) {
      return WriteOutcome.CONFLICT;
    }
    long leadEpoch = cluster.membership().view(lead).epoch();
    long tombstone;
    try {
      tombstone = lead.tombstone(key, expected.cas(), TOMBSTONE_SECONDS);
      if (tombstone < 0) {
        return lead.gets(key) == null ? WriteOutcome.NOT_FOUND : WriteOutcome.CONFLICT;
      }
    } catch (NodeUnavailableException e) {
      routes.failedOver(lead, e); // maybe applied: unknown, as in decidedByLead
      throw e;
    }
    // decided, as in decidedByLead: failures from here on are unacknowledged deletes, not conflicts
    copies.replicateInOrder(
        new DecidedWrite(key, 0, null, Long.MIN_VALUE, cluster.settings().format().versionOf(expected), lead, leadEpoch,
            null));
    lead.delete(key, tombstone); // a write that replaced the tombstone meanwhile stays
    return WriteOutcome.APPLIED;
  }

  @Override
  public KeyListing keys(String prefix, KeyListing.Coverage coverage) {
    List<Node> usable = cluster.nodes().stream().filter(n -> cluster.membership().isUsable(n.server())).toList();
    usable.forEach(Node::checkListable);
    return new NodeByNodeListing(usable, prefix, coverage, cluster.counters().keysListed,
        (node, key) -> coverage == KeyListing.Coverage.EVERY_COPY || isFirstReader(node, key),
        routes::failedOver);
  }

  /** Whether a node is the replica a read of the key asks first. */
  private boolean isFirstReader(Node node, String key) {
    List<Node> readers = cluster.routing().readReplicas(key);
    return !readers.isEmpty() && readers.get(0) == node;
  }

  private long versionOf(byte[] bytes) {
    ItemFormat format = cluster.settings().format();
    return format.versionOf(format.flags(), bytes);
  }
}
