package io.memjcache.cluster.health;

import java.util.List;
import java.util.Map;

/**
 * The cluster's health as one client sees it: what {@code MemcachedCacheManager.cluster()} returns
 * and JMX shows as {@code io.memjcache:type=Cluster,servers="..."}. Read-only: nothing here changes
 * the cluster. Nodes are named {@code host:port}; their states are {@link NodeState} names.
 */
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

  /** True when every node is UP ({@link #isFullyReplicated()}) and every client uses this server list. */
  boolean isHealthy();

  /**
   * The node ({@code host:port}) that holds a memcached key when every node is up; a cache gives
   * an entry's key as {@code MemcachedCache.memcachedKeyOf}.
   */
  String primaryOf(String memcachedKey);

  /** The nodes ({@code host:port}) that hold a memcached key now, the one deciding its writes first. */
  List<String> replicasOf(String memcachedKey);
}
