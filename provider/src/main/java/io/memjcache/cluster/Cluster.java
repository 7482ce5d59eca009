package io.memjcache.cluster;

import io.memjcache.codec.EnvelopeCodec;
import io.memjcache.config.ClusterSettings;
import io.memjcache.config.ServerAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The nodes of a {@link ClusterSettings}, their health, and where each key lives.
 *
 * <p>A key's replicas are the first {@code copies} usable nodes clockwise from its position on the
 * ketama ring, or, with a backup pool, the first usable node of the main ring followed by the first
 * usable ones of the backup ring. A node that fails an operation is marked {@link NodeState#DOWN}
 * at once, so its keys fall to the next node (the stand-in) until {@link RejoinMonitor} readmits it.
 */
public final class Cluster implements ClusterMXBean, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Cluster.class.getName());

  static {
    // spymemcached logs to stderr at INFO by default; route it to java.util.logging instead
    if (System.getProperty("net.spy.log.LoggerImpl") == null) {
      System.setProperty("net.spy.log.LoggerImpl", "net.spy.memcached.compat.log.SunLogger");
    }
  }

  private final ClusterSettings settings;
  private final KetamaRing ring;
  private final KetamaRing backupRing;
  private final Map<ServerAddress, NodeClient> nodes = new LinkedHashMap<>();
  private final Map<ServerAddress, NodeState> states = new ConcurrentHashMap<>();
  private final ClusterCounters counters = new ClusterCounters();
  private final RejoinMonitor monitor;

  public Cluster(ClusterSettings settings) {
    this.settings = settings;
    this.ring = new KetamaRing(settings.servers());
    this.backupRing = settings.backupServers().isEmpty() ? null : new KetamaRing(settings.backupServers());
    try {
      List<ServerAddress> all = new ArrayList<>(settings.servers());
      all.addAll(settings.backupServers());
      for (ServerAddress server : all) {
        nodes.put(server, new NodeClient(server, settings.operationTimeoutMillis(), EnvelopeCodec.FLAGS));
        states.put(server, NodeState.UP);
      }
    } catch (RuntimeException e) {
      nodes.values().forEach(NodeClient::close);
      throw e;
    }
    this.monitor = new RejoinMonitor(this);
  }

  public ClusterSettings settings() {
    return settings;
  }

  public KetamaRing ring() {
    return ring;
  }

  public ClusterCounters counters() {
    return counters;
  }

  /** Returns the server that holds a memcached key when every node is up. */
  public ServerAddress primaryOf(String key) {
    return ring.primary(key.getBytes(StandardCharsets.UTF_8));
  }

  /** Returns the servers that hold a memcached key now: the live replicas, first one first. */
  public List<ServerAddress> replicasOf(String key) {
    List<ServerAddress> result = new ArrayList<>();
    replicas(key).forEach(n -> result.add(n.server()));
    return result;
  }

  public NodeState state(ServerAddress server) {
    return states.get(server);
  }

  /** Returns if every node is up and no repair is running: full replication. */
  public boolean isHealthy() {
    return states.values().stream().allMatch(s -> s == NodeState.UP);
  }

  /** The live replicas of a key, the one that serves reads and arbitrates CAS first. */
  List<NodeClient> replicas(String key) {
    List<NodeClient> result = new ArrayList<>(settings.copies());
    placement(key, this::isUsable).forEach(s -> result.add(nodes.get(s)));
    return result;
  }

  /**
   * Returns if a node is one of a key's own replicas, those it has when every node is up. A stand-in
   * is not: its copy dates from an outage and may since have been deleted or overwritten on the
   * key's own replicas, so a read must never fall back to it.
   */
  boolean isHomeReplica(String key, NodeClient node) {
    return placement(key, server -> true).contains(node.server());
  }

  private List<ServerAddress> placement(String key, java.util.function.Predicate<ServerAddress> usable) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    if (backupRing == null) {
      return ring.replicas(bytes, settings.copies(), usable);
    }
    List<ServerAddress> servers = new ArrayList<>(ring.replicas(bytes, 1, usable));
    servers.addAll(backupRing.replicas(bytes, settings.copies() - 1, usable));
    return servers;
  }

  /** Records that a node failed an operation; it is skipped until it answers a probe again. */
  void markDown(NodeClient node, RuntimeException cause) {
    if (states.put(node.server(), NodeState.DOWN) != NodeState.DOWN) {
      counters.nodesMarkedDown.increment();
      LOG.warning(() -> "memcached " + node.server() + " marked down: " + cause.getMessage());
    }
  }

  void setState(NodeClient node, NodeState state) {
    states.put(node.server(), state);
  }

  Collection<NodeClient> nodes() {
    return nodes.values();
  }

  List<NodeClient> nodesIn(NodeState state) {
    List<NodeClient> result = new ArrayList<>();
    nodes.values().forEach(n -> {
      if (states.get(n.server()) == state) {
        result.add(n);
      }
    });
    return result;
  }

  boolean isUsable(ServerAddress server) {
    return states.get(server) != NodeState.DOWN;
  }

  @Override
  public Map<String, String> getNodeStates() {
    Map<String, String> result = new LinkedHashMap<>();
    nodes.keySet().forEach(s -> result.put(s.toString(), states.get(s).name()));
    return result;
  }

  @Override
  public long getNodesMarkedDown() {
    return counters.nodesMarkedDown();
  }

  @Override
  public long getFailovers() {
    return counters.failovers();
  }

  @Override
  public long getBackupReads() {
    return counters.backupReads();
  }

  @Override
  public long getReplicaWriteFailures() {
    return counters.replicaWriteFailures();
  }

  @Override
  public long getRejoins() {
    return counters.rejoins();
  }

  @Override
  public long getEntriesRepaired() {
    return counters.entriesRepaired();
  }

  @Override
  public long getStandInCopiesDropped() {
    return counters.standInCopiesDropped();
  }

  @Override
  public void close() {
    monitor.close();
    nodes.values().forEach(NodeClient::close);
  }

  @Override
  public String toString() {
    return "Cluster" + getNodeStates();
  }
}
