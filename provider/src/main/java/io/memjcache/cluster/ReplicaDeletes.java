package io.memjcache.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plain deletes of the {@link ReplicatedItemStore}, one key or many: every copy, the lead last,
 * so that a reader missing on the lead never finds a copy elsewhere to bring back.
 */
final class ReplicaDeletes {

  /** Pipelined passes over bulk deletes that timed out before they go one by one (see deleteCopies). */
  static final int BULK_ATTEMPTS = 3;

  private final Cluster cluster;
  private final Replicas routes;

  ReplicaDeletes(Cluster cluster, Replicas routes) {
    this.cluster = cluster;
    this.routes = routes;
  }

  boolean delete(String key) {
    routes.beginWrite(key);
    return deleteEverywhere(key, new AppliedOn(cluster));
  }

  /**
   * Deletes all, pipelined, in windows of {@link ItemStore#BULK_WINDOW} keys: in each, first every copy
   * but the leads', then the leads' (see below). Keys with a replica being repaired are deleted one
   * by one, as {@link #delete(String)} does. The window bounds what this client has in flight on a
   * node, so that its own deletes never queue long enough to time out, on its own operations or on
   * other threads'.
   */
  int deleteAll(Collection<String> keys) {
    routes.beginBatch();
    List<String> all = keys instanceof List<String> list ? list : new ArrayList<>(keys);
    int removed = 0;
    for (int from = 0; from < all.size(); from += ItemStore.BULK_WINDOW) {
      removed += deleteWindow(all.subList(from, Math.min(all.size(), from + ItemStore.BULK_WINDOW)));
    }
    return removed;
  }

  private int deleteWindow(List<String> keys) {
    List<String> pipelined = new ArrayList<>(keys.size());
    List<String> oneByOne = new ArrayList<>();
    for (String key : keys) {
      (routes.forWrite(key).stream().anyMatch(routes::isRepairing) ? oneByOne : pipelined).add(key);
    }
    deleteCopies(pipelined, false);
    int removed = deleteCopies(pipelined, true);
    for (String key : oneByOne) {
      removed += delete(key) ? 1 : 0;
    }
    return removed;
  }

  /**
   * Deletes the leads' copies of the keys, or their other copies, pipelined; returns how many leads
   * held an item. Pipelined deletes that timed out are not held against their node: they may have
   * waited behind this client's own window (issue 16). They are sent again, pipelined, up to
   * {@link #BULK_ATTEMPTS} times, and then deleted one key at a time, where a timeout counts as for
   * any single operation.
   */
  private int deleteCopies(List<String> keys, boolean leads) {
    int removed = 0;
    List<String> left = keys;
    for (int attempt = 0; attempt < BULK_ATTEMPTS && !left.isEmpty(); attempt++) {
      List<String> timedOut = new ArrayList<>();
      removed += deletePhase(left, leads, timedOut);
      left = timedOut;
    }
    for (String key : left) {
      // everywhere: deletes repeat harmlessly
      removed += deleteEverywhere(key, new AppliedOn(cluster)) && leads ? 1 : 0;
    }
    return removed;
  }

  /**
   * Sends the deletes to the leads or to the other copies, then awaits them; returns how many found
   * an item, and adds to {@code timedOut} the keys whose delete timed out. Once a node timed out, its
   * deletes still queued are not awaited: one timeout per node and pass is enough.
   */
  private int deletePhase(Collection<String> keys, boolean leads, List<String> timedOut) {
    long startNanos = System.nanoTime();
    Map<String, Map<Node, Pending<Boolean>>> pending = new LinkedHashMap<>();
    for (String key : keys) {
      routes.awaitStable(key);
      Map<Node, Pending<Boolean>> futures = new LinkedHashMap<>();
      List<Node> replicas = routes.forWrite(key);
      for (Node node : leads ? replicas.subList(0, 1) : replicas.subList(1, replicas.size())) {
        futures.put(node, node.deleteAsync(key));
      }
      pending.put(key, futures);
    }
    Set<Node> late = new HashSet<>(2);
    int removed = 0;
    for (Map.Entry<String, Map<Node, Pending<Boolean>>> p : pending.entrySet()) {
      boolean failed = false;
      boolean again = false;
      boolean found = false;
      for (Map.Entry<Node, Pending<Boolean>> f : p.getValue().entrySet()) {
        Node node = f.getKey();
        if (late.contains(node) && !f.getValue().isDone()) {
          f.getValue().cancel();
          again = true;
          continue;
        }
        try {
          found |= f.getValue().await();
        } catch (NodeUnavailableException e) {
          if (e.kind() == NodeUnavailableException.Kind.TIMEOUT
              || e.kind() == NodeUnavailableException.Kind.TIMEOUT_WHILE_PAUSED) {
            late.add(node);
            again = true;
          } else {
            routes.failedOver(node, e);
            failed = true;
          }
        }
      }
      if (failed || (!again && PauseDetector.jvm().stalledSince(startNanos))) {
        // everywhere again: deletes repeat harmlessly
        found |= deleteEverywhere(p.getKey(), new AppliedOn(cluster));
      } else if (again) {
        timedOut.add(p.getKey());
      }
      removed += leads && found ? 1 : 0;
    }
    return removed;
  }

  /**
   * Deletes every live copy not in {@code done}, the lead last: while any copy remains, the lead
   * still holds one, so a miss on the lead never sends a reader to a copy about to disappear. On a
   * node being repaired the copy is replaced by a tombstone instead, removed once every other copy
   * is gone: the repair may be copying the key there from a replica this delete has not reached
   * yet, and its copy cannot replace a tombstone (see ReplicaCopy). A tombstone does not count as a
   * removed copy: a node being repaired holds no acknowledged write the other replicas lack. Nor
   * does a stand-in's copy while a home replica is live: a stand-in can hold a copy left from an
   * earlier outage, which no read finds, and a remove that counted it would report an absent entry
   * as removed.
   */
  boolean deleteEverywhere(String key, AppliedOn done) {
    boolean any = false;
    Map<Node, Long> tombstones = new HashMap<>(1);
    for (int attempt = 0; attempt <= routes.attempts(); attempt++) {
      cluster.awaitFreshViews(); // after a pause in the middle: a node flushed meanwhile needs it again
      List<Node> order = new ArrayList<>(routes.forWrite(key));
      java.util.Collections.reverse(order);
      if (order.stream().allMatch(done::contains)) {
        tombstones.forEach((node, cas) -> removeTombstone(node, key, cas));
        return any;
      }
      for (Node node : order) {
        if (!done.contains(node)) {
          try {
            done.sending(node);
            if (routes.isRepairing(node)) {
              tombstones.put(node, node.setTombstone(key, ReplicatedItemStore.TOMBSTONE_SECONDS));
            } else {
              boolean deleted = node.delete(key);
              any |= deleted && (cluster.routing().isHomeReplica(key, node) || noHomeReplicaIn(key, order));
            }
            done.reached(node);
          } catch (NodeUnavailableException e) {
            // never on to the lead while a copy may remain: a reader missing on the lead would
            // copy it back (a delete timed out across a pause, then went to the lead first)
            routes.failedOver(node, e);
            break;
          }
        }
      }
    }
    throw routes.exhausted(key);
  }

  private boolean noHomeReplicaIn(String key, List<Node> replicas) {
    return replicas.stream().noneMatch(n -> cluster.routing().isHomeReplica(key, n));
  }

  /** Removes a tombstone this client left, unless a write replaced it since. */
  private void removeTombstone(Node node, String key, long cas) {
    try {
      node.delete(key, cas);
    } catch (NodeUnavailableException e) {
      routes.failedOver(node, e); // it expires on its own
    }
  }
}
