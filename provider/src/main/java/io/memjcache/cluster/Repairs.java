package io.memjcache.cluster;

import io.memjcache.cluster.health.NodeState;
import java.lang.System.Logger.Level;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * Brings a rejoined node in line with its other home replicas, then marks it repaired (see
 * {@link RejoinMonitor}), and drops the copies a server list change left on a node that is no home
 * replica of them. Runs on its own thread: the probes must keep their pace for switch times to hold.
 */
final class Repairs {

  private static final System.Logger LOG = Loggers.of(Repairs.class);

  private final Cluster cluster;
  private final NodeRecords records;
  private final Membership membership;
  private final ExecutorService executor;

  Repairs(Cluster cluster, String threadName) {
    this.cluster = cluster;
    this.records = cluster.records();
    this.membership = cluster.membership();
    this.executor = Executors.newSingleThreadExecutor(r -> RejoinMonitor.daemon(r, threadName));
  }

  /** Repairs a node that rejoined with {@code mark}, apart from the probes. */
  void start(Node node, MembershipMark mark) {
    executor.execute(() -> repair(node, mark));
  }

  private void repair(Node node, MembershipMark mark) {
    try {
      Set<String> keys = new LinkedHashSet<>(node.keys(""));
      for (Node peer : cluster.nodes()) {
        if (peer != node && membership.isUsable(peer.server())) {
          keys.addAll(keysToRepairFrom(peer, node));
        }
      }
      for (String key : keys) {
        if (!stillRepairing(node, mark)) {
          return; // it failed again, or was flushed by another client: this repair is void
        }
        repairKey(key, node, mark);
      }
      if (stillRepairing(node, mark) && records.replaceMark(node, mark.epoch(), mark.asRepaired())) {
        LOG.log(Level.INFO, () -> "memcached " + node.server() + " repaired (" + keys.size() + " keys checked)");
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, () -> "repair of memcached " + node.server() + " stopped; it stays REPAIRING: "
          + e.getMessage());
    }
  }

  private boolean stillRepairing(Node node, MembershipMark mark) {
    NodeView view = membership.view(node);
    return view.state() == NodeState.REPAIRING && view.epoch() == mark.epoch();
  }

  /**
   * After a change of the server list, drops the copies a node holds of keys it is no home replica
   * of under the new list: no read asks it for them, and a later list that makes it a home replica
   * again would find them older than what was written meanwhile, or deleted since. Only while every
   * node is UP: a stand-in copy made during an outage is no leftover.
   */
  void dropLeftovers(Node node) {
    if (executor.isShutdown()) {
      return;
    }
    executor.execute(() -> {
      // streamed: only the leftovers are queued, and deleted while the node is still being listed
      try (NodeKeyDump leftovers = node.dumpKeys(
          key -> cluster.settings().format().isEntryKey(key) && !cluster.routing().isHomeReplica(key, node), Integer.MAX_VALUE, new LongAdder())) {
        long dropped = 0;
        for (String key = leftovers.next(); key != null; key = leftovers.next()) {
          if (!cluster.isFullyReplicated()) {
            LOG.log(Level.INFO, () -> "copies left on memcached " + node.server() + " by the former server list are"
                + " kept while a node is not UP; the next repair drops them");
            return;
          }
          node.delete(key);
          cluster.counters().standInCopiesDropped.increment();
          dropped++;
        }
        long count = dropped;
        LOG.log(Level.INFO, () -> "memcached " + node.server() + ": " + count + " copies the former server list left dropped");
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, () -> "copies the former server list left on memcached " + node.server() + " stay: "
            + e.getMessage());
      }
    });
  }

  /** The peer's keys the returning node holds; stand-in copies it took meanwhile are dropped. */
  private List<String> keysToRepairFrom(Node peer, Node returning) {
    List<String> keys = peer.keys("");
    keys.removeIf(key -> {
      if (!cluster.settings().format().isEntryKey(key)) {
        return true; // not ours: another application's item, left alone
      }
      if (!cluster.routing().isHomeReplica(key, peer)) {
        peer.delete(key);
        cluster.counters().standInCopiesDropped.increment();
        return true;
      }
      return !cluster.routing().isHomeReplica(key, returning);
    });
    return keys;
  }

  /**
   * Brings one key of the returning node in line with its other home replica, which received every
   * write acknowledged while the node was away: a missing or older entry is copied over, and an
   * entry written before the switch (by a client that had not yet learned of the flush) that the
   * other replica no longer holds is removed.
   */
  private void repairKey(String key, Node node, MembershipMark mark) {
    if (!cluster.settings().format().isEntryKey(key) || !cluster.routing().isHomeReplica(key, node)) {
      return;
    }
    for (Node peer : cluster.routing().replicas(key)) {
      if (peer != node && cluster.routing().isHomeReplica(key, peer)) {
        ReplicaCopy.Result result = ReplicaCopy.reconcile(cluster.settings().format(), key, peer, node, mark.switchAtMillis());
        if (result == ReplicaCopy.Result.COPIED) {
          cluster.counters().entriesRepaired.increment();
        }
        return;
      }
    }
  }

  void close() {
    executor.shutdownNow();
  }
}
