package io.memjcache.cluster;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

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
 */
final class RejoinMonitor implements AutoCloseable {

  private static final System.Logger LOG = Loggers.of(RejoinMonitor.class);

  private final Cluster cluster;
  private final NodeRecords records;
  private final Membership membership;
  private final ScheduledExecutorService scheduler;
  /** Suspects are probed apart from the membership pass, which must keep its pace. */
  private final ScheduledExecutorService suspects;
  /** Repairs run apart from the probes, which must keep their pace for switch times to hold. */
  private final ExecutorService repairs;
  /** Suspects whose check {@link #checkSoon} queued and that has not begun. */
  private final Set<NodeClient> checksDue = ConcurrentHashMap.newKeySet();
  /** The pause count of {@link PauseDetector} up to which views were read again. */
  private volatile long refreshedThroughPause = PauseDetector.jvm().pauses();

  RejoinMonitor(Cluster cluster) {
    this.cluster = cluster;
    this.records = cluster.records();
    this.membership = cluster.membership();
    String name = "memjcache-rejoin-" + cluster.settings().servers();
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name));
    this.suspects = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-suspects"));
    this.repairs = Executors.newSingleThreadExecutor(r -> daemon(r, name + "-repair"));
    long interval = cluster.settings().retryIntervalMillis();
    // the first pass at once: down notices about a node this client has just found in use
    scheduler.scheduleWithFixedDelay(this::checkAll, 0, interval, TimeUnit.MILLISECONDS);
    long fast = suspectProbeMillis();
    suspects.scheduleWithFixedDelay(this::checkSuspects, fast, fast, TimeUnit.MILLISECONDS);
  }

  private static Thread daemon(Runnable r, String name) {
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
  void checkSoon(NodeClient node) {
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
          for (NodeClient node : cluster.nodes()) {
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
  private boolean refresh(NodeClient node) {
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
    for (NodeClient node : cluster.nodes()) {
      check(node);
    }
    cluster.checkServerListsIfDue();
  }

  private void checkSuspects() {
    cluster.nodes().forEach(this::checkIfSuspected);
  }

  private void checkIfSuspected(NodeClient node) {
    if (membership.view(node).state() == NodeState.SUSPECTED) {
      check(node);
    }
  }

  private synchronized void check(NodeClient node) {
    NodeView view = membership.view(node);
    try {
      checkOrThrow(node, view);
    } catch (NodeUnavailableException e) {
      failedCheck(node, view, e);
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "probe of memcached " + node.server() + " failed", e);
    }
  }

  private void checkOrThrow(NodeClient node, NodeView view) {
    if (cluster.settings().copies() < 2) {
      checkUnreplicated(node, view);
      return;
    }
    if (view.isCondemned()) {
      awaitVerdict(node, view);
      return;
    }
    switch (view.state()) {
      case DOWN -> probe(node, view);
      case SUSPECTED -> weigh(node, view);
      case JOINING -> follow(node, view);
      case UP, REPAIRING -> watch(node, view);
    }
  }

  private void failedCheck(NodeClient node, NodeView view, NodeUnavailableException e) {
    if (view.state() == NodeState.SUSPECTED) {
      weighFailure(node, view, e);
    } else if (view.state() == NodeState.DOWN) {
      publish(node, new DownNotice(view.epoch(), System.currentTimeMillis()));
    } else {
      cluster.failed(node, e);
    }
  }

  private void checkUnreplicated(NodeClient node, NodeView view) {
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

  /**
   * Reads a node's mark, and the down notices it holds about the other nodes, in one multi-get; a
   * mark whose switch time nobody could have set is ignored (and counted).
   */
  private MembershipMark markOf(NodeClient node) {
    List<String> keys = new ArrayList<>();
    keys.add(MembershipMark.KEY);
    cluster.nodes().forEach(other -> keys.add(DownNotice.keyFor(other.server())));
    Map<String, StoredItem> items = node.getMulti(keys);
    followNotices(node, items);
    StoredItem item = items.get(MembershipMark.KEY);
    MembershipMark mark = records.markIn(item);
    if (item != null && mark == null) {
      cluster.counters().marksRejected.increment();
      LOG.log(Level.WARNING, () -> "memcached " + node.server() + " carries a membership mark that is not one, or"
          + " not signed with this client's secret (memjcache.secret): forged, or written by a client"
          + " of these servers with another secret; the node is treated as unmarked");
    }
    if (mark != null && !mark.plausibleAt(System.currentTimeMillis(), maxDelayMillis())) {
      cluster.counters().marksRejected.increment();
      LOG.log(Level.WARNING, () -> "memcached " + node.server() + " carries a membership mark switching at "
          + Instant.ofEpochMilli(mark.switchAtMillis()) + ", further ahead than any client sets one;"
          + " it is ignored (forged or a broken clock) and the node is treated as unmarked");
      return null;
    }
    return mark;
  }

  private long maxDelayMillis() {
    return 2 * membership.switchDelayMillis();
  }

  /** Follows the verdicts of other clients about nodes this client still uses. */
  private void followNotices(NodeClient holder, Map<String, StoredItem> items) {
    long now = System.currentTimeMillis();
    for (NodeClient other : cluster.nodes()) {
      StoredItem item = other == holder ? null : items.get(DownNotice.keyFor(other.server()));
      DownNotice notice = records.noticeIn(item);
      if (notice == null || notice.epoch() != membership.view(other).epoch()) {
        continue; // none, or about a life of the node this client does not use (any more)
      }
      if (!notice.plausibleAt(now, maxDelayMillis())) {
        cluster.counters().marksRejected.increment();
        LOG.log(Level.WARNING, () -> "memcached " + holder.server() + " holds a down notice about "
            + other.server() + " further ahead than any client sets one; ignored");
        continue;
      }
      MembershipMark life;
      try {
        life = records.markOnceConnected(other);
      } catch (NodeUnavailableException e) {
        // the verdict may be about a life the node has left while this client stood still: never
        // route around it on that alone; suspected, its writes are refused until its probe knows
        membership.suspect(other, e);
        continue;
      }
      if (life != null && life.epoch() != notice.epoch()) {
        continue; // flushed and marked anew since the verdict: its probe follows the new mark
      }
      membership.condemn(other, notice.fromMillis(), "another client found it down (a notice on "
          + holder.server() + ")");
    }
  }

  /**
   * Leaves a verdict about {@code node} on every other node that answers, for the other clients'
   * probes to find (each reads every node once per retry interval); returns on how many.
   */
  private int publish(NodeClient node, DownNotice notice) {
    if (notice.epoch() == NodeView.UNKNOWN_EPOCH) {
      return 0;
    }
    int ttlSeconds = (int) Math.max(30, 30 * cluster.settings().retryIntervalMillis() / 1000);
    int left = 0;
    for (NodeClient other : cluster.nodes()) {
      if (other != node && membership.isUsable(other.server())) {
        try {
          records.setNotice(other, DownNotice.keyFor(node.server()), notice, ttlSeconds);
          left++;
        } catch (RuntimeException e) {
          LOG.log(Level.DEBUG, "cannot leave a down notice on " + other.server(), e);
        }
      }
    }
    return left;
  }

  /** A condemned node: DOWN from the verdict's time on, whatever it answers meanwhile. */
  private void awaitVerdict(NodeClient node, NodeView view) {
    if (System.currentTimeMillis() >= view.downAtMillis()) {
      membership.markDown(node, "down for every client since " + Instant.ofEpochMilli(view.downAtMillis()));
    }
  }

  /**
   * A node that answers without its mark lost its contents: down on that evidence, and since it
   * answers, claimed and flushed at once rather than a retry interval later.
   */
  private void lostMark(NodeClient node, String evidence) {
    membership.markDown(node, evidence);
    probe(node, membership.view(node));
  }

  /**
   * Is a suspected node the node this client knew? A refused connection settles it first: the
   * probe's read of a killed server can wait out a whole operation timeout on a connection
   * spymemcached has not yet seen close, while writes wait for this verdict.
   */
  private void weigh(NodeClient node, NodeView view) {
    if (downOnRefusal(node, view)) {
      return;
    }
    MembershipMark mark = markOf(node);
    if (mark == null) {
      lostMark(node, "it answers without its membership mark (restarted or flushed)");
    } else if (view.epoch() == NodeView.UNKNOWN_EPOCH || mark.epoch() == view.epoch()) {
      membership.cleared(node, mark);
    } else {
      adopt(node, mark, System.currentTimeMillis());
    }
  }

  /** A suspected node failed its probe: is there evidence yet? */
  private void weighFailure(NodeClient node, NodeView view, NodeUnavailableException e) {
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
      if (publish(node, new DownNotice(view.epoch(), from)) > 0) {
        membership.condemn(node, from, "no answer for " + silentMillis + " ms (memjcache.downAfterMillis)");
      }
    }
  }

  /** Marks a node down if its port refuses connections: every client sees the same, none need wait. */
  private boolean downOnRefusal(NodeClient node, NodeView view) {
    if (!node.refusesConnections()) {
      return false;
    }
    membership.markDown(node, "its port refuses connections");
    publish(node, new DownNotice(view.epoch(), System.currentTimeMillis()));
    return true;
  }

  /** A node marked down: is it back, and who flushes it? */
  private void probe(NodeClient node, NodeView view) {
    MembershipMark mark = markOf(node); // throws while it is still down
    node.readItemSizeMax(); // a restarted server may run with another -I
    long now = System.currentTimeMillis();
    boolean unknownAndInUse = view.epoch() == NodeView.UNKNOWN_EPOCH && mark != null
        && mark.switchAtMillis() <= now;
    if (mark == null || mark.epoch() == view.epoch() || unknownAndInUse) {
      MembershipMark fresh = MembershipMark.fresh(now + membership.switchDelayMillis());
      if (claim(node, mark, fresh)) {
        node.flush();
        // the flush took the claim with it; another client may have marked the node meanwhile,
        // and then its mark stands (it flushed too, before any switch)
        if (!records.addMark(node, fresh)) {
          return; // the next probe adopts that mark
        }
        membership.setView(node, NodeView.joining(fresh, true));
        cluster.counters().rejoins.increment();
        LOG.log(Level.INFO, () -> "memcached " + node.server() + " answers again: flushed, in use from "
            + Instant.ofEpochMilli(fresh.switchAtMillis()));
      }
      // else another client claimed it first: the next probe adopts its mark
    } else {
      adopt(node, mark, now);
    }
  }

  /**
   * Claims the flush of a returning node by putting {@code fresh} in place of the mark read
   * ({@code add} if there was none, CAS if there was one), so that of clients probing at once only
   * one flushes, and none flushes late: one whose probe was delayed past another's switch finds
   * that other's mark and follows it instead of wiping what was written since.
   */
  private boolean claim(NodeClient node, MembershipMark seen, MembershipMark fresh) {
    if (seen != null) {
      return records.replaceMark(node, seen.epoch(), fresh);
    }
    if (records.addMark(node, fresh)) {
      return true;
    }
    // there is one after all: a forged or implausible one is replaced too
    long now = System.currentTimeMillis();
    return records.replaceUnusableMark(node, fresh, present -> present.plausibleAt(now, maxDelayMillis()));
  }

  /** A JOINING node: did another client flush it again meanwhile, and is the switch done? */
  private void follow(NodeClient node, NodeView view) {
    MembershipMark mark = markOf(node);
    long now = System.currentTimeMillis();
    if (mark == null) {
      lostMark(node, "it lost its membership mark while joining (restarted or flushed)");
    } else if (mark.epoch() != view.epoch()) {
      adopt(node, mark, now);
    } else if (now >= view.switchAtMillis() + membership.switchGuardMillis()) {
      membership.setView(node, NodeView.inUse(mark));
      if (view.repairer()) {
        repairs.execute(() -> repair(node, mark));
      }
    }
  }

  /** A node in use: still the node this client knows, and is its repair complete? */
  private void watch(NodeClient node, NodeView view) {
    MembershipMark mark = markOf(node);
    if (mark == null) {
      lostMark(node, "it lost its membership mark (restarted or flushed)");
    } else if (view.epoch() == NodeView.UNKNOWN_EPOCH
        || (mark.epoch() == view.epoch() && view.state() == NodeState.REPAIRING && mark.repaired())) {
      membership.setView(node, NodeView.inUse(mark));
      if (view.state() == NodeState.REPAIRING) {
        LOG.log(Level.INFO, () -> "memcached " + node.server() + " repaired and up");
      }
    } else if (mark.epoch() != view.epoch()) {
      adopt(node, mark, System.currentTimeMillis());
    }
  }

  /** Follows a flush made by another client to its switch time. */
  private void adopt(NodeClient node, MembershipMark mark, long now) {
    membership.setView(node, NodeView.joining(mark, false));
    cluster.counters().rejoins.increment();
    if (now >= mark.switchAtMillis() - membership.switchGuardMillis()) {
      cluster.counters().switchesMissed.increment();
      LOG.log(Level.WARNING, () -> "memcached " + node.server() + " was flushed by another client and is in use"
          + " since " + Instant.ofEpochMilli(mark.switchAtMillis()) + "; this client learned of it only now");
    } else {
      LOG.log(Level.INFO, () -> "memcached " + node.server() + " was flushed by another client; in use from "
          + Instant.ofEpochMilli(mark.switchAtMillis()));
    }
  }

  private void repair(NodeClient node, MembershipMark mark) {
    try {
      Set<String> keys = new LinkedHashSet<>(node.keys(""));
      for (NodeClient peer : cluster.nodes()) {
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

  private boolean stillRepairing(NodeClient node, MembershipMark mark) {
    NodeView view = membership.view(node);
    return view.state() == NodeState.REPAIRING && view.epoch() == mark.epoch();
  }

  /**
   * After a change of the server list, drops the copies a node holds of keys it is no home replica
   * of under the new list: no read asks it for them, and a later list that makes it a home replica
   * again would find them older than what was written meanwhile, or deleted since. Only while every
   * node is UP: a stand-in copy made during an outage is no leftover.
   */
  void dropLeftovers(NodeClient node) {
    if (repairs.isShutdown()) {
      return;
    }
    repairs.execute(() -> {
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
  private List<String> keysToRepairFrom(NodeClient peer, NodeClient returning) {
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
  private void repairKey(String key, NodeClient node, MembershipMark mark) {
    if (!cluster.settings().format().isEntryKey(key) || !cluster.routing().isHomeReplica(key, node)) {
      return;
    }
    for (NodeClient peer : cluster.routing().replicas(key)) {
      if (peer != node && cluster.routing().isHomeReplica(key, peer)) {
        ReplicaCopy.Result result = ReplicaCopy.reconcile(cluster.settings().format(), key, peer, node, mark.switchAtMillis());
        if (result == ReplicaCopy.Result.COPIED) {
          cluster.counters().entriesRepaired.increment();
        }
        return;
      }
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    suspects.shutdownNow();
    repairs.shutdownNow();
  }
}
