package io.memjcache.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CAS reads of a key's other replicas, sent together with the lead's so that a conditional write
 * costs one round trip less twice over: a miss on the lead is checked against them without a second
 * step ({@link ReplicaReads}), and a decided write is copied to a replica with the CAS id read here
 * ({@link DecisionCopies}), reading it again only if it changed since.
 *
 * <p>What a replica held when read ahead is as good as a read made after the lead's: the copy's CAS
 * succeeds only while the replica still holds exactly that item, and the rules applied to it are
 * those applied to a fresh read.
 */
final class ReplicaReadAhead {

  private final Map<Node, Pending<StoredItem>> reads;

  private ReplicaReadAhead(Map<Node, Pending<StoredItem>> reads) {
    this.reads = reads;
  }

  /** Sends a CAS read of the key to each of {@code others}. */
  static ReplicaReadAhead send(String key, List<Node> others) {
    Map<Node, Pending<StoredItem>> reads = new HashMap<>(others.size() * 2);
    for (Node node : others) {
      reads.put(node, node.getsAsync(key));
    }
    return new ReplicaReadAhead(reads);
  }

  /** Returns if {@code node} was read ahead. */
  boolean has(Node node) {
    return reads.containsKey(node);
  }

  /**
   * What {@code node} held when read ahead (null for nothing); throws as its read did, a {@link
   * NodeUnavailableException} if it did not answer.
   */
  StoredItem of(Node node) {
    return reads.get(node).await();
  }
}
