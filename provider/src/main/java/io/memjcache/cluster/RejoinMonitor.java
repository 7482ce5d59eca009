package io.memjcache.cluster;

import io.memjcache.codec.EnvelopeCodec;
import io.memjcache.codec.KeyCodec;
import io.memjcache.config.ServerAddress;
import io.memjcache.expiry.ExpiryTimes;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Probes nodes marked down and readmits them only once they can hold nothing stale.
 *
 * <p>Every {@code retryIntervalMillis} each DOWN node is probed. With backups on ({@code copies >= 2})
 * the probe is {@code flush_all}: a node that was unreachable may hold values overwritten or deleted
 * elsewhere meanwhile (it was hung, or partitioned), and an empty node can only miss, never serve a
 * stale value; a miss on it is answered by the next replica. The node is then REPAIRING while:
 *
 * <ol>
 *   <li>every entry it should hold is copied back from a live replica of that entry, with
 *       {@code add} so a newer write made meanwhile is never overwritten, and undone if the source
 *       was deleted during the copy;
 *   <li>copies that stand-in nodes took while it was away are deleted from them, so a stand-in never
 *       later serves a value that was deleted or overwritten on the real replicas.
 * </ol>
 *
 * <p>Then it is UP. With {@code copies = 1} there is nothing to copy from, so a returning node is
 * readmitted as it is, data and all (see the README on what that means).
 */
final class RejoinMonitor implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RejoinMonitor.class.getName());

  private final Cluster cluster;
  private final ScheduledExecutorService scheduler;

  RejoinMonitor(Cluster cluster) {
    this.cluster = cluster;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "memjcache-rejoin-" + cluster.settings().servers());
      t.setDaemon(true);
      return t;
    });
    long interval = cluster.settings().retryIntervalMillis();
    scheduler.scheduleWithFixedDelay(this::probeAll, interval, interval, TimeUnit.MILLISECONDS);
  }

  private void probeAll() {
    for (NodeClient node : cluster.nodesIn(NodeState.DOWN)) {
      try {
        readmit(node);
      } catch (RuntimeException e) {
        cluster.setState(node, NodeState.DOWN);
        LOG.log(Level.FINE, "memcached " + node.server() + " still down", e);
      }
    }
  }

  private void readmit(NodeClient node) {
    node.readItemSizeMax(); // a restarted server may run with another -I
    if (cluster.settings().copies() < 2) {
      node.ping();
      cluster.setState(node, NodeState.UP);
      cluster.counters().rejoins.increment();
      return;
    }
    node.flush();
    cluster.setState(node, NodeState.REPAIRING);
    cluster.counters().rejoins.increment();
    LOG.info(() -> "memcached " + node.server() + " answers again: flushed, repairing");
    for (NodeClient peer : cluster.nodes()) {
      if (peer != node && cluster.isUsable(peer.server())) {
        repairFrom(peer, node);
      }
    }
    cluster.setState(node, NodeState.UP);
    LOG.info(() -> "memcached " + node.server() + " repaired and up");
  }

  private void repairFrom(NodeClient peer, NodeClient returning) {
    List<String> keys;
    try {
      keys = peer.keys("");
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cannot list keys on " + peer.server() + " to repair "
          + returning.server(), e);
      return;
    }
    for (String key : keys) {
      if (!KeyCodec.isEntryKey(key)) {
        continue; // not ours: another application's item, left alone
      }
      List<ServerAddress> replicas = cluster.replicasOf(key);
      if (!replicas.contains(peer.server())) {
        peer.delete(key);
        cluster.counters().standInCopiesDropped.increment();
      } else if (replicas.contains(returning.server())) {
        copy(key, peer, returning);
      }
    }
  }

  private void copy(String key, NodeClient from, NodeClient to) {
    StoredItem item = from.gets(key);
    if (item == null) {
      return;
    }
    long expiresAt = EnvelopeCodec.expiresAtOf(item.flags(), item.bytes());
    long now = System.currentTimeMillis();
    if (expiresAt == Long.MIN_VALUE || expiresAt <= now) {
      return;
    }
    if (to.add(key, ExpiryTimes.exptime(expiresAt, now), item.bytes()) != WriteOutcome.APPLIED) {
      return; // the node already has a newer write
    }
    if (from.get(key) == null) {
      to.delete(key); // deleted on the source while copying: do not resurrect it
      return;
    }
    cluster.counters().entriesRepaired.increment();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
