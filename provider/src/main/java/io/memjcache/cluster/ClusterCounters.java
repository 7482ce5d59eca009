package io.memjcache.cluster;

import java.util.concurrent.atomic.LongAdder;

/** What the replication layer did, for operators (JMX) and tests. */
public final class ClusterCounters {

  final LongAdder nodesMarkedDown = new LongAdder();
  final LongAdder failovers = new LongAdder();
  final LongAdder backupReads = new LongAdder();
  final LongAdder replicaWriteFailures = new LongAdder();
  final LongAdder rejoins = new LongAdder();
  final LongAdder entriesRepaired = new LongAdder();
  final LongAdder standInCopiesDropped = new LongAdder();
  final LongAdder switchesMissed = new LongAdder();
  final LongAdder suspicions = new LongAdder();
  final LongAdder selfSuspicions = new LongAdder();
  final LongAdder marksRejected = new LongAdder();
  final LongAdder keysListed = new LongAdder();

  ClusterCounters() {}

  /** Times a node was marked down on evidence: refused connection, lost mark, long silence. */
  public long nodesMarkedDown() {
    return nodesMarkedDown.sum();
  }

  /** Operations that moved on to another replica because a node failed under them. */
  public long failovers() {
    return failovers.sum();
  }

  /** Reads answered by a backup because the first live replica missed. */
  public long backupReads() {
    return backupReads.sum();
  }

  /** Writes to a replica that failed (the write then went to the next live node). */
  public long replicaWriteFailures() {
    return replicaWriteFailures.sum();
  }

  /** Nodes readmitted after answering a probe. */
  public long rejoins() {
    return rejoins.sum();
  }

  /** Entries copied onto a rejoined node from its neighbours. */
  public long entriesRepaired() {
    return entriesRepaired.sum();
  }

  /**
   * Copies deleted from nodes that are no home replica of their key: stand-in copies once the node
   * they stood in for was back, copies a former server list left.
   */
  public long standInCopiesDropped() {
    return standInCopiesDropped.sum();
  }

  /**
   * Rejoins of a node that this client learned of only after their switch time: until it did, it
   * routed the node's keys differently from the other clients (its probes ran late, or the node
   * was flushed while this client had no operation on it).
   */
  public long switchesMissed() {
    return switchesMissed.sum();
  }

  /** Times a node was suspected: timeouts or a dropped connection, before any evidence. */
  public long suspicions() {
    return suspicions.sum();
  }

  /**
   * Long silences of a node not taken for its failure because other nodes were silent too: this
   * client was the likelier culprit.
   */
  public long selfSuspicions() {
    return selfSuspicions.sum();
  }

  /** Membership marks ignored because their switch time was implausible (forged, broken clock). */
  public long marksRejected() {
    return marksRejected.sum();
  }

  /**
   * Keys read from the nodes' key dumps (lru_crawler metadump) for iteration, clear(), removeAll()
   * and destroyCache, those of other caches on the same servers included.
   */
  public long keysListed() {
    return keysListed.sum();
  }
}
