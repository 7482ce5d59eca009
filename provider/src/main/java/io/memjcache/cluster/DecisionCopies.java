package io.memjcache.cluster;

import io.memjcache.cluster.health.NodeState;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Copies a conditional write (add, cas, delete with cas) the lead decided to the other replicas of
 * the {@link ReplicatedItemStore}, in version order and over nothing but the write's own history: a
 * write decided on a replica without it (after its lead failed) makes it fail rather than both stand.
 */
final class DecisionCopies {

  /** Bound of the read-compare-write loop that copies a decided write to one replica. */
  static final int ORDERED_WRITE_ATTEMPTS = 1000;

  private final Cluster cluster;
  private final Replicas routes;

  DecisionCopies(Cluster cluster, Replicas routes) {
    this.cluster = cluster;
    this.routes = routes;
  }

  /**
   * Copies a write the lead decided to the other live replicas, in version order: copies of two
   * decided writes may arrive in either order, and a plain set could leave a replica with the older
   * one (found by ReplicationBugRepro#bug4).
   */
  void replicateInOrder(DecidedWrite write) {
    Set<Node> done = new HashSet<>(List.of(write.lead()));
    for (int attempt = 0; attempt < routes.attempts(); attempt++) {
      boolean failed = false;
      for (Node node : routes.forWrite(write.key())) {
        if (done.contains(node)) {
          continue;
        }
        try {
          applyInOrder(node, write, attempt == 0);
          done.add(node);
        } catch (NodeUnavailableException e) {
          cluster.counters().replicaWriteFailures.increment();
          routes.failedOver(node, e);
          failed = true;
        }
      }
      if (!failed) {
        return;
      }
    }
    throw routes.exhausted(write.key());
  }

  /**
   * Stores (or deletes) a decided write on a replica over what it holds from the write's history. A
   * write from outside that history must have come through the lead after this one, and stays;
   * otherwise another client decided on this replica without this write (the lead failed after
   * deciding it), and both cannot stand: this one fails, its outcome unknown, rather than hand out a
   * result twice or wipe the other.
   */
  private void applyInOrder(Node node, DecidedWrite write, boolean firstAttempt) {
    String key = write.key();
    if (firstAttempt && write.bytes() != null && appliedOnWhatWasRead(node, write)) {
      return;
    }
    for (int attempt = 0; attempt < ORDERED_WRITE_ATTEMPTS; attempt++) {
      StoredItem current = node.gets(key);
      boolean absent = current == null || current.isMarker();
      if (!absent && !isHistoryOf(write, node, current)) {
        long found = cluster.settings().format().versionOf(current);
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
   * Stores a decided write on a replica without reading it first, where what it holds is known: the
   * item it held when read with the lead ({@link ReplicaReadAhead}), or for an add, nothing (what the
   * lead held). Conditional on the replica still holding exactly that, so it is the loop's first step
   * with its read made earlier; false when the replica changed since or the write may not replace
   * what it held, for the loop to decide on a fresh read.
   */
  private boolean appliedOnWhatWasRead(Node node, DecidedWrite write) {
    StoredItem held;
    if (write.readAhead() != null && write.readAhead().has(node)) {
      held = write.readAhead().of(node);
    } else if (write.replacedVersion() == Long.MIN_VALUE) {
      held = null;
    } else {
      return false;
    }
    if (held != null && !held.isMarker() && !isHistoryOf(write, node, held)) {
      return false;
    }
    WriteOutcome outcome = held == null
        ? node.add(write.key(), write.exptime(), write.bytes())
        : node.cas(write.key(), held.cas(), write.exptime(), write.bytes());
    return outcome == WriteOutcome.APPLIED;
  }

  /**
   * Whether a decided write may replace an item a replica holds: the item it replaced on the lead or
   * an older one, an expired entry, or on a node being repaired, one written before its switch time
   * (see ReplicaReads.servable).
   */
  private boolean isHistoryOf(DecidedWrite write, Node node, StoredItem current) {
    long version = cluster.settings().format().versionOf(current);
    NodeView view = cluster.membership().view(node);
    return version <= write.replacedVersion()
        || cluster.settings().format().expiresAtOf(current) <= System.currentTimeMillis()
        || (view.state() == NodeState.REPAIRING && version < view.switchAtMillis() << 16);
  }

  /**
   * Whether the lead holds {@code found} (a write a replica holds from outside this write's history)
   * or a later one, under the membership epoch it had when it decided this write: then {@code found}
   * reached the replica through the lead, a copy that overtook this one or a plain write racing it.
   * Waits up to one operation timeout for a racing write to land on the lead.
   */
  private boolean leadHolds(DecidedWrite write, long found) {
    Node lead = write.lead();
    long deadline = System.nanoTime()
        + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(cluster.settings().operationTimeoutMillis());
    try {
      do {
        MembershipMark mark = cluster.records().mark(lead);
        StoredItem held = lead.get(write.key());
        if (mark == null || mark.epoch() != write.leadEpoch()) {
          return false; // flushed since: what it held is gone
        }
        long version = cluster.settings().format().versionOf(held); // MIN_VALUE for none or a marker
        if (version == found || (found > write.version() && version > found)) {
          return true;
        }
        Thread.sleep(1);
      } while (System.nanoTime() < deadline);
    } catch (NodeUnavailableException e) {
      routes.failedOver(lead, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }
}
