package io.memjcache.cluster;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plain writes of the {@link ReplicatedItemStore}: a set goes to every replica in use at once
 * and is acknowledged once each has stored it. A replica that fails is tried again; one shown DOWN
 * meanwhile is replaced by its stand-in; one flushed since it stored the item ({@link AppliedOn})
 * gets it again. A write is never acknowledged while a replica in use lacks it.
 */
final class ReplicaSets {

  private final Cluster cluster;
  private final Replicas routes;

  ReplicaSets(Cluster cluster, Replicas routes) {
    this.cluster = cluster;
    this.routes = routes;
  }

  void set(String key, int exptime, byte[] bytes) {
    routes.beginWrite(key);
    replicate(key, exptime, bytes, new AppliedOn(cluster));
  }

  /** Sends every write before awaiting any, then completes each where it failed. */
  void setAll(List<ItemWrite> writes) {
    routes.beginBatch();
    Map<ItemWrite, Map<Node, Pending<WriteOutcome>>> pending = new LinkedHashMap<>();
    Map<ItemWrite, AppliedOn> applied = new HashMap<>();
    for (ItemWrite write : writes) {
      routes.awaitStable(write.key());
      AppliedOn done = new AppliedOn(cluster);
      pending.put(write, sendSets(write.key(), write.exptime(), write.bytes(), done));
      applied.put(write, done);
    }
    // each write is then completed where it failed, or where a node's life changed meanwhile
    pending.forEach((write, futures) -> {
      awaitSets(futures, applied.get(write));
      replicate(write.key(), write.exptime(), write.bytes(), applied.get(write));
    });
  }

  /**
   * Stores an item on every live replica not in {@code done}; a replica that fails is recorded
   * against its node, and once that node is shown down the next live node of the ring takes its place.
   */
  private void replicate(String key, int exptime, byte[] bytes, AppliedOn done) {
    for (int attempt = 0; attempt <= routes.attempts(); attempt++) {
      cluster.awaitFreshViews(); // after a pause in the middle: a node flushed meanwhile needs it again
      Map<Node, Pending<WriteOutcome>> futures = sendSets(key, exptime, bytes, done);
      if (futures.isEmpty()) {
        return; // every replica in use now has it, also if the placement changed meanwhile
      }
      awaitSets(futures, done);
    }
    // a replica still in use never stored it: never acknowledged without its copy
    throw routes.exhausted(key);
  }

  /** Sends the item to every live replica not in {@code done}, noting the life each has then. */
  private Map<Node, Pending<WriteOutcome>> sendSets(String key, int exptime, byte[] bytes, AppliedOn done) {
    Map<Node, Pending<WriteOutcome>> futures = new LinkedHashMap<>();
    for (Node node : routes.forWrite(key)) {
      if (!done.contains(node)) {
        done.sending(node);
        futures.put(node, node.setAsync(key, exptime, bytes));
      }
    }
    return futures;
  }

  private void awaitSets(Map<Node, Pending<WriteOutcome>> futures, AppliedOn done) {
    futures.forEach((node, future) -> {
      try {
        future.await();
        done.reached(node);
      } catch (NodeUnavailableException e) {
        cluster.counters().replicaWriteFailures.increment();
        routes.failedOver(node, e);
      }
    });
  }
}
