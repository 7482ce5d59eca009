package io.memjcache.cluster;

import java.util.Map;

/** The cluster as JMX shows it: {@code io.memjcache:type=Cluster,servers="..."}. */
public interface ClusterMXBean {

  /** Each node's address and state (UP, SUSPECTED, DOWN, JOINING, REPAIRING). */
  Map<String, String> getNodeStates();

  /**
   * Why every operation is refused because clients use another server list ({@code memjcache.servers}),
   * or empty while every node carries this client's list.
   */
  String getServerListConflict();

  /**
   * The server list of clients that refuse every operation until this client's list is no longer
   * in use (a scale-out or rolling deploy waiting for this client to stop), or empty.
   */
  String getServerListWaiting();

  long getNodesMarkedDown();

  long getFailovers();

  long getBackupReads();

  long getReplicaWriteFailures();

  long getRejoins();

  long getEntriesRepaired();

  long getStandInCopiesDropped();

  long getSwitchesMissed();

  long getSuspicions();

  long getSelfSuspicions();

  long getMarksRejected();

  long getKeysListed();

  /** True only when every node is UP: every entry has all its copies. */
  boolean isFullyReplicated();
}
