package io.memjcache.cluster;

import io.memjcache.cluster.health.NodeState;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches every node, turns suspicions into evidence or clears them, and readmits nodes that
 * failed so that all clients start using them at the same moment, and only once they can serve
 * nothing stale.
 *
 * <p>Suspicion and evidence (DESIGN invariant 3: a timeout is a suspicion, not evidence):
 *
 * <ul>
 *   <li>A SUSPECTED node is probed every {@link #suspectProbeMillis}. It answers with the mark this
 *       client knew: nothing was written around it, so it is simply in use again, unflushed. It
 *       answers without a mark: it lost its contents (evidence), DOWN. Its port refuses
 *       connections: the server is gone (evidence), DOWN. It stays silent for
 *       {@code downAfterMillis} while this JVM runs normally: DOWN.
 *   <li>Only a DOWN node has its keys written to stand-ins, so only a DOWN node can have missed
 *       writes; only it is flushed when it returns.
 * </ul>
 *
 * <p>A DOWN node (with backups on) is probed by reading its {@link MembershipMark}:
 *
 * <ul>
 *   <li>No mark, or the mark this client knew before the outage: this client flushes it and marks
 *       it with a new epoch and a switch time {@link Membership#switchDelayMillis()} ahead.
 *   <li>Another mark: another client did that already; this one adopts the switch time.
 * </ul>
 *
 * <p>Until the switch time the node is JOINING: no client reads or writes it. From the switch time
 * on every client writes its keys to it, reads them from their other replica first, and shows it
 * REPAIRING; the client that flushed it brings every entry it holds in line with the other replica
 * (copies, newer versions, and removal of what a client that learned of the flush late wrote before
 * the switch), then marks it repaired; every client shows it UP once it reads that mark.
 *
 * <p>This class schedules the probes and weighs suspicions; the steps of readmission are
 * {@link Readmission}'s, the reading of marks and notices {@link MarksAndNotices}', the repairs
 * {@link Repairs}'.
 */
final class RejoinMonitor implements AutoCloseable {

  private static final System.Logger LOG = Loggers.of(RejoinMonitor.class);

  private final Cluster cluster;
  private final Membership membership;
  private final MarksAndNotices notices;
  private final Readmission readmission;
  private final ScheduledExecutorService scheduler;
  /** Suspects are probed apart from the membership pass, which must keep its pace. */
  private final ScheduledExecutorService suspects;
  /** Repairs run apart from the probes, which must keep their pace for switch times to hold. */
  private final Repairs repairs;
  /** Suspects whose check {@link #checkSoon} queued and that has not begun. */
  private final Set<Node> checksDue = ConcurrentHashMap.newKeySet();
  /** The pause count of {@link PauseDetector} up to which views were read again. */
  private volatile long refreshedThroughPause = PauseDetector.jvm().pauses();

  RejoinMonitor(Cluster cluster) {
    this.cluster = cluster;
    this.membership = cluster.membership();
    String name = "memjcache-rejoin-" + cluster.settings().servers();
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name));
    this.suspects = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-suspects"));
    this.notices = new MarksAndNotices(cluster);
    this.repairs = new Repairs(cluster, name + "-repair");
    this.readmission = new Readmission(cluster, notices, repairs);
    long interval = cluster.settings().retryIntervalMillis();
    // the first pass at once: down notices about a node this client has just found in use
    scheduler.scheduleWithFixedDelay(this::checkAll, 0, interval, TimeUnit.MILLISECONDS);
    long fast = suspectProbeMillis();
    suspects.scheduleWithFixedDelay(this::checkSuspects, fast, fast, TimeUnit.MILLISECONDS);
  }

  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** How often suspects are probed: a false suspicion refuses writes until it is cleared. */
  long suspectProbeMillis() {
    return Math.max(10, Math.min(200, cluster.settings().retryIntervalMillis() / 5));
  }

  /**
   * Probes a suspect (one that just lost its connection, or whose verdict a write awaits) without
   * waiting for the next round; once, however many ask before it runs.
   */
  void checkSoon(Node node) {
    if (!suspects.isShutdown() && checksDue.add(node)) {
      suspects.execute(() -> {
        checksDue.remove(node);
        checkIfSuspected(node);
      });
    }
  }

  /** See {@link Cluster#awaitFreshViews()}. */
  void refreshAfterPause() {
    long pauses = PauseDetector.jvm().pauses();
    if (pauses != refreshedThroughPause) {
      synchronized (this) {
        if (pauses != refreshedThroughPause) {
          boolean all = true;
          for (Node node : cluster.nodes()) {
            all &= refresh(node);
          }
          cluster.checkServerLists(); // another list's clients may have taken over meanwhile
          if (all) {
            refreshedThroughPause = pauses;
          }
        }
      }
    }
  }

  /**
   * Checks a node after this JVM stood still; returns false if it is still in use with its mark
   * unread (then the next operation checks again). It may have been flushed and marked anew
   * meanwhile, and an operation must not go on believing that what reached its former life is
   * still there: one that cannot be reached at all is suspected; a timeout counts as usual.
   */
  private boolean refresh(Node node) {
    node.awaitConnection(); // a connection dropped during the pause (a restart) comes back first
    try {
      checkOrThrow(node, membership.view(node));
      return true;
    } catch (NodeUnavailableException e) {
      failedCheck(node, membership.view(node), e);
      if (e.kind() == NodeUnavailableException.Kind.NO_CONNECTION) {
        membership.suspect(node, e);
      }
      NodeState state = membership.view(node).state();
      return state != NodeState.UP && state != NodeState.REPAIRING;
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "probe of memcached " + node.server() + " failed", e);
      return true;
    }
  }

  private synchronized void checkAll() {
    for (Node node : cluster.nodes()) {
      check(node);
    }
    cluster.checkServerListsIfDue();
  }

  private void checkSuspects() {
    cluster.nodes().forEach(this::checkIfSuspected);
  }

  private void checkIfSuspected(Node node) {
    if (membership.view(node).state() == NodeState.SUSPECTED) {
      check(node);
    }
  }

  private synchronized void check(Node node) {
    NodeView view = membership.view(node);
    try {
      checkOrThrow(node, view);
    } catch (NodeUnavailableException e) {
      failedCheck(node, view, e);
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "probe of memcached " + node.server() + " failed", e);
    }
  }

  private void checkOrThrow(Node node, NodeView view) {
    if (cluster.settings().copies() < 2) {
      checkUnreplicated(node, view);
      return;
    }
    if (view.isCondemned()) {
      awaitVerdict(node, view);
      return;
    }
    switch (view.state()) {
      case DOWN -> readmission.probe(node, view);
      case SUSPECTED -> weigh(node, view);
      case JOINING -> readmission.follow(node, view);
      case UP, REPAIRING -> readmission.watch(node, view);
    }
  }

  private void failedCheck(Node node, NodeView view, NodeUnavailableException e) {
    if (view.state() == NodeState.SUSPECTED) {
      weighFailure(node, view, e);
    } else if (view.state() == NodeState.DOWN) {
      notices.publish(node, new DownNotice(view.epoch(), System.currentTimeMillis()));
    } else {
      cluster.failed(node, e);
    }
  }

  private void checkUnreplicated(Node node, NodeView view) {
    if (view.state() == NodeState.DOWN) {
      node.readItemSizeMax(); // a restarted server may run with another -I
    }
    node.ping();
    if (view.state() == NodeState.DOWN || view.state() == NodeState.SUSPECTED) {
      membership.setView(node, view.withState(NodeState.UP));
      cluster.counters().rejoins.increment();
      LOG.log(Level.INFO, () -> "memcached " + node.server() + " answers again");
    }
  }

  /** A condemned node: DOWN from the verdict's time on, whatever it answers meanwhile. */
  private void awaitVerdict(Node node, NodeView view) {
    if (System.currentTimeMillis() >= view.downAtMillis()) {
      membership.markDown(node, "down for every client since " + Instant.ofEpochMilli(view.downAtMillis()));
    }
  }

  /**
   * Is a suspected node the node this client knew? A refused connection settles it first: the
   * probe's read of a killed server can wait out a whole operation timeout on a connection
   * spymemcached has not yet seen close, while writes wait for this verdict.
   */
  private void weigh(Node node, NodeView view) {
    if (downOnRefusal(node, view)) {
      return;
    }
    MembershipMark mark = notices.markOf(node);
    if (mark == null) {
      readmission.lostMark(node, "it answers without its membership mark (restarted or flushed)");
    } else if (view.epoch() == NodeView.UNKNOWN_EPOCH || mark.epoch() == view.epoch()) {
      membership.cleared(node, mark);
    } else {
      readmission.adopt(node, mark, System.currentTimeMillis());
    }
  }

  /** A suspected node failed its probe: is there evidence yet? */
  private void weighFailure(Node node, NodeView view, NodeUnavailableException e) {
    long now = System.currentTimeMillis();
    long silentMillis = now - view.sinceMillis();
    if (downOnRefusal(node, view)) {
      return;
    }
    if (e.kind() == NodeUnavailableException.Kind.TIMEOUT
        && silentMillis >= cluster.settings().downAfterMillis()) {
      if (!membership.othersAnswer(node)) {
        cluster.counters().selfSuspicions.increment();
        LOG.log(Level.DEBUG, () -> "memcached " + node.server() + " silent for " + silentMillis + " ms, but so are"
            + " other nodes: this client is the likelier culprit; nothing is rerouted");
        return;
      }
      // other clients may still reach it: all switch to stand-ins together, at the verdict's time
      long from = now + membership.switchDelayMillis();
      if (notices.publish(node, new DownNotice(view.epoch(), from)) > 0) {
        membership.condemn(node, from, "no answer for " + silentMillis + " ms (memjcache.downAfterMillis)");
      }
    }
  }

  /** Marks a node down if its port refuses connections: every client sees the same, none need wait. */
  private boolean downOnRefusal(Node node, NodeView view) {
    if (!node.refusesConnections()) {
      return false;
    }
    membership.markDown(node, "its port refuses connections");
    notices.publish(node, new DownNotice(view.epoch(), System.currentTimeMillis()));
    return true;
  }

  /** See {@link Repairs#dropLeftovers}. */
  void dropLeftovers(Node node) {
    repairs.dropLeftovers(node);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    suspects.shutdownNow();
    repairs.close();
  }
}
