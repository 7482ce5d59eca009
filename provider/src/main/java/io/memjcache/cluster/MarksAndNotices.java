package io.memjcache.cluster;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the nodes say about membership: each node's {@link MembershipMark}, read together with the
 * {@link DownNotice}s it holds about the other nodes (verdicts of other clients, followed here), and
 * the notices this client leaves when it finds a node down. A mark or notice whose time nobody
 * could have set is ignored and counted (forged, or a broken clock).
 */
final class MarksAndNotices {

  private static final System.Logger LOG = Loggers.of(MarksAndNotices.class);

  private final Cluster cluster;
  private final NodeRecords records;
  private final Membership membership;

  MarksAndNotices(Cluster cluster) {
    this.cluster = cluster;
    this.records = cluster.records();
    this.membership = cluster.membership();
  }

  /**
   * Reads a node's mark, and the down notices it holds about the other nodes, in one multi-get; a
   * mark whose switch time nobody could have set is ignored (and counted).
   */
  MembershipMark markOf(Node node) {
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

  long maxDelayMillis() {
    return 2 * membership.switchDelayMillis();
  }

  /** Follows the verdicts of other clients about nodes this client still uses. */
  private void followNotices(Node holder, Map<String, StoredItem> items) {
    long now = System.currentTimeMillis();
    for (Node other : cluster.nodes()) {
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
  int publish(Node node, DownNotice notice) {
    if (notice.epoch() == NodeView.UNKNOWN_EPOCH) {
      return 0;
    }
    int ttlSeconds = (int) Math.max(30, 30 * cluster.settings().retryIntervalMillis() / 1000);
    int left = 0;
    for (Node other : cluster.nodes()) {
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
}
