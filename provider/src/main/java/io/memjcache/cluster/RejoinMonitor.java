package io.memjcache.cluster;

import io.memjcache.codec.KeyCodec;
import io.memjcache.config.ServerAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches every node once per {@code retryIntervalMillis} and readmits returning nodes so that all
 * clients start using them at the same moment, and only once they can hold nothing stale.
 *
 * <p>With backups on ({@code copies >= 2}), a node marked down is probed by reading its
 * {@link MembershipMark}:
 *
 * <ul>
 *   <li>No mark, or the mark this client knew before the outage: the node lost its contents or kept
 *       contents that may since have been overwritten or deleted elsewhere. This client flushes it
 *       and marks it with a new epoch and a switch time {@link Cluster#switchDelayMillis()} ahead.
 *   <li>Another mark: another client did that already; this one adopts the switch time.
 * </ul>
 *
 * <p>Until the switch time the node is JOINING: no client reads or writes it, so it stays empty.
 * From the switch time on every client routes its keys to it (a miss on it is answered by the next
 * replica), and writes to its keys wait out a guard around that moment so that none routed the old
 * way is still in flight (see {@link Cluster#awaitStableRouting}). The client that flushed it then
 * copies its entries back from their other replicas and deletes the copies stand-in nodes took
 * while it was away (REPAIRING).
 *
 * <p>A node in use is checked the same way: one that no longer answers is marked down, one that lost
 * its mark (restarted unnoticed) is marked down to be flushed, and one whose mark changed (another
 * client flushed it) is followed to its new switch time. With {@code copies = 1} there is nothing to
 * copy from, so a returning node is readmitted as it is, data and all (see the README).
 */
final class RejoinMonitor implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RejoinMonitor.class.getName());

  private final Cluster cluster;
  private final ScheduledExecutorService scheduler;
  /** Repairs run apart from the probes, which must keep their pace for switch times to hold. */
  private final ExecutorService repairs;

  RejoinMonitor(Cluster cluster) {
    this.cluster = cluster;
    String name = "memjcache-rejoin-" + cluster.settings().servers();
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name));
    this.repairs = Executors.newSingleThreadExecutor(r -> daemon(r, name + "-repair"));
    long interval = cluster.settings().retryIntervalMillis();
    scheduler.scheduleWithFixedDelay(this::checkAll, interval, interval, TimeUnit.MILLISECONDS);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private void checkAll() {
    for (NodeClient node : cluster.nodes()) {
      NodeView view = cluster.view(node);
      try {
        if (cluster.settings().copies() < 2) {
          checkUnreplicated(node, view);
        } else {
          switch (view.state()) {
            case DOWN -> probe(node, view);
            case JOINING -> follow(node, view);
            case UP, REPAIRING -> watch(node, view);
          }
        }
      } catch (RuntimeException e) {
        if (view.state() == NodeState.DOWN) {
          LOG.log(Level.FINE, "memcached " + node.server() + " still down", e);
        } else if (e instanceof NodeUnavailableException unavailable) {
          cluster.failed(node, unavailable);
        } else {
          cluster.markDown(node, e);
        }
      }
    }
  }

  private void checkUnreplicated(NodeClient node, NodeView view) {
    if (view.state() == NodeState.DOWN) {
      node.readItemSizeMax(); // a restarted server may run with another -I
    }
    node.ping();
    if (view.state() == NodeState.DOWN) {
      cluster.setView(node, view.withState(NodeState.UP));
      cluster.counters().rejoins.increment();
    }
  }

  /** A node marked down: is it back, and who flushes it? */
  private void probe(NodeClient node, NodeView view) {
    MembershipMark mark = node.mark(); // throws while it is still down
    node.readItemSizeMax(); // a restarted server may run with another -I
    long now = System.currentTimeMillis();
    boolean unknownAndInUse = view.epoch() == NodeView.UNKNOWN_EPOCH && mark != null
        && mark.switchAtMillis() <= now;
    if (mark == null || mark.epoch() == view.epoch() || unknownAndInUse) {
      node.flush();
      MembershipMark fresh = MembershipMark.fresh(now + cluster.switchDelayMillis());
      node.setMark(fresh);
      cluster.setView(node, NodeView.joining(fresh, true));
      cluster.counters().rejoins.increment();
      LOG.info(() -> "memcached " + node.server() + " answers again: flushed, in use from "
          + java.time.Instant.ofEpochMilli(fresh.switchAtMillis()));
    } else {
      adopt(node, mark, now);
    }
  }

  /** A JOINING node: did another client flush it again meanwhile, and is the switch done? */
  private void follow(NodeClient node, NodeView view) {
    MembershipMark mark = node.mark();
    long now = System.currentTimeMillis();
    if (mark == null) {
      cluster.markDown(node, new NodeUnavailableException("memcached " + node.server()
          + " lost its membership mark while joining (restarted or flushed)", null));
    } else if (mark.epoch() != view.epoch()) {
      adopt(node, mark, now);
    } else if (now >= view.switchAtMillis() + cluster.switchGuardMillis()) {
      if (view.repairer()) {
        cluster.setView(node, view.withState(NodeState.REPAIRING));
        repairs.execute(() -> repair(node, mark));
      } else {
        cluster.setView(node, NodeView.up(mark));
      }
    }
  }

  /** A node in use: still the node this client knows? */
  private void watch(NodeClient node, NodeView view) {
    MembershipMark mark = node.mark();
    if (mark == null) {
      cluster.markDown(node, new NodeUnavailableException("memcached " + node.server()
          + " lost its membership mark (restarted or flushed): it is flushed and readmitted", null));
    } else if (view.epoch() == NodeView.UNKNOWN_EPOCH) {
      cluster.setView(node, NodeView.up(mark));
    } else if (mark.epoch() != view.epoch()) {
      adopt(node, mark, System.currentTimeMillis());
    }
  }

  /** Follows a flush made by another client to its switch time. */
  private void adopt(NodeClient node, MembershipMark mark, long now) {
    cluster.setView(node, NodeView.joining(mark, false));
    cluster.counters().rejoins.increment();
    if (now >= mark.switchAtMillis() - cluster.switchGuardMillis()) {
      cluster.counters().switchesMissed.increment();
      LOG.warning(() -> "memcached " + node.server() + " was flushed by another client and is in use"
          + " since " + java.time.Instant.ofEpochMilli(mark.switchAtMillis())
          + "; this client learned of it only now");
    }
  }

  private void repair(NodeClient node, MembershipMark mark) {
    try {
      for (NodeClient peer : cluster.nodes()) {
        if (peer != node && cluster.isUsable(peer.server())) {
          repairFrom(peer, node, mark.epoch());
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "repair of memcached " + node.server() + " stopped", e);
    }
    NodeView view = cluster.view(node);
    if (view.state() == NodeState.REPAIRING && view.epoch() == mark.epoch()) {
      cluster.setView(node, view.withState(NodeState.UP));
      LOG.info(() -> "memcached " + node.server() + " repaired and up");
    }
  }

  /** Copies a peer's entries of the returning node onto it. */
  private void repairFrom(NodeClient peer, NodeClient returning, long epoch) {
    List<String> keys;
    try {
      keys = peer.keys("");
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cannot list keys on " + peer.server() + " to repair "
          + returning.server(), e);
      return;
    }
    for (String key : keys) {
      NodeView view = cluster.view(returning);
      if (view.state() != NodeState.REPAIRING || view.epoch() != epoch) {
        return; // it failed again, or was flushed by another client: this repair is void
      }
      if (!KeyCodec.isEntryKey(key)) {
        continue; // not ours: another application's item, left alone
      }
      List<ServerAddress> replicas = cluster.replicasOf(key);
      if (!replicas.contains(peer.server())) {
        peer.delete(key);
        cluster.counters().standInCopiesDropped.increment();
      } else if (replicas.contains(returning.server())) {
        StoredItem item = peer.get(key);
        if (item != null && ReplicaCopy.copy(key, item, peer, returning) == ReplicaCopy.Result.COPIED) {
          cluster.counters().entriesRepaired.increment();
        }
      }
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    repairs.shutdownNow();
  }
}
