package io.memjcache.cluster;

import io.memjcache.cluster.health.NodeState;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What this client believes of each node ({@link NodeView}: UP, SUSPECTED, DOWN, JOINING,
 * REPAIRING), how a belief changes (a suspicion, evidence, another client's verdict, a cleared
 * suspicion), and the waits that keep every client's routing in step: the guard around a JOINING
 * node's switch time and the wait after a node went DOWN ({@link #awaitStableRouting}), and the wait
 * for a verdict on a suspect ({@link #awaitVerdict}). {@link RejoinMonitor} gathers the evidence;
 * {@link Placement} says which nodes a key's routing depends on.
 */
final class Membership {

  private static final System.Logger LOG = Loggers.of(Membership.class);

  private final ClusterConfig settings;
  private final Placement placement;
  private final ClusterCounters counters;
  private final Map<ServerAddress, NodeView> views = new ConcurrentHashMap<>();
  /** Whether some node is JOINING: only then must writes check for a switch in progress. */
  private volatile boolean switchPending;
  /** When a node last went DOWN: commits check for a failover in progress only shortly after. */
  private volatile long lastDownAtMillis;
  /** Notified at every change of a view: writes waiting for a verdict on a suspect wait on it. */
  private final Object viewChanged = new Object();

  Membership(ClusterConfig settings, Placement placement, ClusterCounters counters) {
    this.settings = settings;
    this.placement = placement;
    this.counters = counters;
  }

  NodeState state(ServerAddress server) {
    return views.get(server).shownAt(System.currentTimeMillis());
  }

  /** Returns if every node is UP as this client sees it (see {@link Cluster#isFullyReplicated}). */
  boolean isFullyReplicated() {
    return views.values().stream().allMatch(v -> v.state() == NodeState.UP);
  }

  boolean isUp(Node node) {
    return views.get(node.server()).state() == NodeState.UP;
  }

  boolean isUsable(ServerAddress server) {
    return views.get(server).usableAt(System.currentTimeMillis());
  }

  /** Which nodes keys are routed to now: one clock reading for a whole placement. */
  Predicate<ServerAddress> usableNow() {
    long now = System.currentTimeMillis();
    return server -> views.get(server).usableAt(now);
  }

  /**
   * How long before and after a JOINING node's switch time writes to its keys wait: together one
   * operation timeout, so that no write routed the old way is still in flight when the first one
   * routed the new way is made, and no write waits longer than that (clocks of the clients are
   * assumed to agree within a small part of it).
   */
  long switchGuardMillis() {
    return Math.max(1, settings.operationTimeoutMillis() / 2);
  }

  /**
   * How far ahead of a flush the switch time of a rejoining node is set: every other client probes
   * the node (once per retry interval, each probe bounded by the operation timeout) and so learns
   * the switch time before the guard before it begins.
   */
  long switchDelayMillis() {
    return 2 * (settings.retryIntervalMillis() + settings.operationTimeoutMillis()) + switchGuardMillis();
  }

  /**
   * Waits while a node holding {@code key} is within the guard of its switch time, so that the key's
   * replicas are the same for every write that is in flight at once, whichever client makes it.
   * Likewise for one operation timeout after a home replica of the key went DOWN: a decision another
   * client made on it just before may still be on its way to the replica that takes over, and a
   * commit there must not overtake it (one that lands first turns this commit's CAS into a conflict,
   * and the key is read again). Bounded by twice the guard.
   */
  void awaitStableRouting(String key) {
    long start = System.currentTimeMillis();
    if (!switchPending && start >= lastDownAtMillis + settings.operationTimeoutMillis()) {
      return;
    }
    for (Map.Entry<ServerAddress, NodeView> e : views.entrySet()) {
      NodeView view = e.getValue();
      long now = System.currentTimeMillis();
      long until;
      if (view.state() == NodeState.JOINING && now >= view.switchAtMillis() - switchGuardMillis()) {
        until = view.switchAtMillis() + switchGuardMillis();
      } else if (view.state() == NodeState.DOWN) {
        until = view.sinceMillis() + settings.operationTimeoutMillis();
      } else {
        continue;
      }
      if (now < until && placement.isHome(key, e.getKey())) {
        try {
          Thread.sleep(until - now);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new javax.cache.CacheException("interrupted while " + e.getKey() + " joins", ie);
        }
      }
    }
  }

  /**
   * Returns if every node but {@code node} answers this client: only then may its silence be taken
   * for the node's failure. A client that times out on several nodes at once is the likelier
   * culprit (its network, its CPU): it waits, suspecting, and flushes nothing.
   */
  boolean othersAnswer(Node node) {
    return views.entrySet().stream()
        .allMatch(e -> e.getKey().equals(node.server()) || e.getValue().state() != NodeState.SUSPECTED);
  }

  /** Returns if this client suspects a node (see {@link NodeState#SUSPECTED}). */
  boolean isSuspected(Node node) {
    return views.get(node.server()).state() == NodeState.SUSPECTED;
  }

  synchronized void suspect(Node node, NodeUnavailableException cause) {
    NodeView before = views.get(node.server());
    if (before.state() != NodeState.UP && before.state() != NodeState.REPAIRING) {
      return;
    }
    setView(node, before.suspected(System.currentTimeMillis()));
    counters.suspicions.increment();
    LOG.log(Level.WARNING, () -> "memcached " + node.server() + " suspected (reads go to other replicas, writes"
        + " to its keys wait for it to answer or be shown down, for one operation timeout at most): " + cause.getMessage());
  }

  /**
   * Marks a node down on evidence that it failed (see {@link NodeState#DOWN}); its keys go to
   * stand-ins until it is flushed and readmitted.
   */
  void markDown(Node node, String evidence) {
    NodeView before = views.get(node.server());
    if (before.state() != NodeState.DOWN) {
      long now = System.currentTimeMillis();
      setView(node, before.down(now));
      lastDownAtMillis = now;
      counters.nodesMarkedDown.increment();
      LOG.log(Level.WARNING, () -> "memcached " + node.server() + " down: " + evidence);
    }
  }

  /**
   * Follows a verdict that a node is down from {@code fromMillis} (this client's own, or another's
   * found in a {@link DownNotice}): until then it is SUSPECTED, from then on DOWN, whatever it
   * answers meanwhile, as for every other client.
   */
  void condemn(Node node, long fromMillis, String why) {
    NodeView before = views.get(node.server());
    if (before.isCondemned() || before.state() == NodeState.DOWN || before.state() == NodeState.JOINING) {
      return;
    }
    setView(node, before.condemned(System.currentTimeMillis(), fromMillis));
    LOG.log(Level.WARNING, () -> "memcached " + node.server() + " is down for every client from "
        + java.time.Instant.ofEpochMilli(fromMillis) + ": " + why);
  }

  /** Clears a suspicion: the node answered with the mark this client knew, so it missed nothing. */
  void cleared(Node node, MembershipMark mark) {
    setView(node, NodeView.inUse(mark));
    LOG.log(Level.INFO, () -> "memcached " + node.server() + " answers again; suspicion cleared, nothing flushed");
  }

  NodeView view(Node node) {
    return views.get(node.server());
  }

  void setView(Node node, NodeView view) {
    views.put(node.server(), view);
    switchPending = views.values().stream().anyMatch(v -> v.state() == NodeState.JOINING);
    synchronized (viewChanged) {
      viewChanged.notifyAll();
    }
  }

  /**
   * Waits for a verdict on a node this client suspects (its probe is the caller's to hasten) (it answers again, or it is shown to be
   * down), at most until one operation timeout after the suspicion began. A killed server is shown
   * down within milliseconds (its port refuses connections), and a write to its keys then goes to
   * the stand-in instead of failing because the dropped connection was noticed first. Returns if the
   * node is no longer suspected.
   */
  boolean awaitVerdict(Node node) {
    synchronized (viewChanged) {
      while (isSuspected(node)) {
        long left = view(node).sinceMillis() + settings.operationTimeoutMillis() - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        try {
          viewChanged.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new javax.cache.CacheException("interrupted while waiting for a verdict on " + node.server(), e);
        }
      }
      return true;
    }
  }

  /**
   * Takes a node in at start by its membership mark, marking a node that has none (a fresh
   * server) as it is: it holds nothing a client of this cluster wrote.
   */
  void admit(Node node, NodeRecords records) {
    setView(node, initialView(node, records));
  }

  private static NodeView initialView(Node node, NodeRecords records) {
    try {
      MembershipMark mark = records.mark(node);
      if (mark == null) {
        records.addMark(node, MembershipMark.fresh(0).asRepaired());
        mark = records.mark(node);
      }
      return mark == null ? NodeView.UNKNOWN : NodeView.inUse(mark);
    } catch (RuntimeException e) {
      return NodeView.UNKNOWN; // unreachable: its first failed operation marks it down
    }
  }
}
