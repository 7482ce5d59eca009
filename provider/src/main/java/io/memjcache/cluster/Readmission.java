package io.memjcache.cluster;

import io.memjcache.cluster.health.NodeState;
import java.lang.System.Logger.Level;
import java.time.Instant;

/**
 * Readmits a node that failed, so that all clients start using it at the same moment, and only
 * once it can serve nothing stale (see {@link RejoinMonitor}): the flush of a returning node is
 * claimed by one client, which marks it with a switch time ahead; every client follows that mark
 * through JOINING and REPAIRING to UP, and a node that loses its mark on the way is down again.
 */
final class Readmission {

  private static final System.Logger LOG = Loggers.of(Readmission.class);

  private final Cluster cluster;
  private final NodeRecords records;
  private final Membership membership;
  private final MarksAndNotices notices;
  private final Repairs repairs;

  Readmission(Cluster cluster, MarksAndNotices notices, Repairs repairs) {
    this.cluster = cluster;
    this.records = cluster.records();
    this.membership = cluster.membership();
    this.notices = notices;
    this.repairs = repairs;
  }

  /**
   * A node that answers without its mark lost its contents: down on that evidence, and since it
   * answers, claimed and flushed at once rather than a retry interval later.
   */
  void lostMark(Node node, String evidence) {
    membership.markDown(node, evidence);
    probe(node, membership.view(node));
  }

  /** A node marked down: is it back, and who flushes it? */
  void probe(Node node, NodeView view) {
    MembershipMark mark = notices.markOf(node); // throws while it is still down
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
  private boolean claim(Node node, MembershipMark seen, MembershipMark fresh) {
    if (seen != null) {
      return records.replaceMark(node, seen.epoch(), fresh);
    }
    if (records.addMark(node, fresh)) {
      return true;
    }
    // there is one after all: a forged or implausible one is replaced too
    long now = System.currentTimeMillis();
    return records.replaceUnusableMark(node, fresh, present -> present.plausibleAt(now, notices.maxDelayMillis()));
  }

  /** A JOINING node: did another client flush it again meanwhile, and is the switch done? */
  void follow(Node node, NodeView view) {
    MembershipMark mark = notices.markOf(node);
    long now = System.currentTimeMillis();
    if (mark == null) {
      lostMark(node, "it lost its membership mark while joining (restarted or flushed)");
    } else if (mark.epoch() != view.epoch()) {
      adopt(node, mark, now);
    } else if (now >= view.switchAtMillis() + membership.switchGuardMillis()) {
      membership.setView(node, NodeView.inUse(mark));
      if (view.repairer()) {
        repairs.start(node, mark);
      }
    }
  }

  /** A node in use: still the node this client knows, and is its repair complete? */
  void watch(Node node, NodeView view) {
    MembershipMark mark = notices.markOf(node);
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
  void adopt(Node node, MembershipMark mark, long now) {
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
}
