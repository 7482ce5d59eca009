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
    // spymemcached logs to stderr at INFO by default; route it to java.util.logging instead, through
    // our adapter: spymemcached's SunLogger builds a stack trace on every call, enabled or not
    if (System.getProperty("net.spy.log.LoggerImpl") == null) {
      System.setProperty("net.spy.log.LoggerImpl", SpyJulLogger.class.getName());
    }
  }

  private final ClusterSettings settings;
  private final KetamaRing ring;
  private final KetamaRing backupRing;
  private final Map<ServerAddress, NodeClient> nodes = new LinkedHashMap<>();
  private final Map<ServerAddress, NodeView> views = new ConcurrentHashMap<>();
  /** Whether some node is JOINING: only then must writes check for a switch in progress. */
  private volatile boolean switchPending;
  private volatile boolean closed;
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
        NodeClient node = new NodeClient(server, settings.operationTimeoutMillis(), EnvelopeCodec.FLAGS,
            settings.credentials());
        nodes.put(server, node);
        views.put(server, initialView(node));
        // a dropped connection means a dead or restarted server, which may have lost entries
        node.onConnectionLost(() -> {
          if (!closed) {
            markDown(node, new NodeUnavailableException("memcached " + server + " dropped its connection", null));
          }
        });
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
    return views.get(server).shownAt(System.currentTimeMillis());
  }

  /** Returns if every node is up and no repair is running: full replication. */
  public boolean isHealthy() {
    return views.values().stream().allMatch(v -> v.state() == NodeState.UP);
  }

  /**
   * How long before and after a JOINING node's switch time writes to its keys wait: longer than
   * one operation may take, so that no write routed the old way is still in flight when the first
   * one routed the new way is made (clocks of the clients are assumed to agree within this too).
   */
  long switchGuardMillis() {
    return settings.operationTimeoutMillis();
  }

  /**
   * How far ahead of a flush the switch time of a rejoining node is set: every other client probes
   * the node (once per retry interval, each probe bounded by the operation timeout) and so learns
   * the switch time before the guard before it begins.
   */
  long switchDelayMillis() {
    return 2 * (settings.retryIntervalMillis() + settings.operationTimeoutMillis()) + switchGuardMillis();
  }

  /**
   * Waits while a node holding {@code key} is within the guard of its switch time, so that the key's
   * replicas are the same for every write that is in flight at once, whichever client makes it.
   * Bounded by twice the guard.
   */
  void awaitStableRouting(String key) {
    if (!switchPending) {
      return;
    }
    for (Map.Entry<ServerAddress, NodeView> e : views.entrySet()) {
      NodeView view = e.getValue();
      if (view.state() != NodeState.JOINING) {
        continue;
      }
      long now = System.currentTimeMillis();
      long until = view.switchAtMillis() + switchGuardMillis();
      if (now >= view.switchAtMillis() - switchGuardMillis() && now < until
          && placement(key, server -> true).contains(e.getKey())) {
        try {
          Thread.sleep(until - now);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new javax.cache.CacheException("interrupted while " + e.getKey() + " joins", ie);
        }
      }
    }
  }

  /** The first live replica of a key ({@code replicas(key).get(0)}), or null if none is live. */
  NodeClient lead(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    java.util.function.Predicate<ServerAddress> usable = usableNow();
    List<ServerAddress> first = ring.replicas(bytes, 1, usable);
    if (first.isEmpty() && backupRing != null) {
      first = backupRing.replicas(bytes, 1, usable);
    }
    return first.isEmpty() ? null : nodes.get(first.get(0));
  }

  /** The live replicas of a key, the one that serves reads and arbitrates CAS first. */
  List<NodeClient> replicas(String key) {
    List<NodeClient> result = new ArrayList<>(settings.copies());
    placement(key, usableNow()).forEach(s -> result.add(nodes.get(s)));
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

  /**
   * Records that an operation failed on a node: it is marked down at once if its connection failed,
   * or after {@code failureThreshold} operations in a row timed out. Until then the node stays in
   * use, and the caller tries it again or reads the next replica; no write skips it.
   */
  void failed(NodeClient node, NodeUnavailableException cause) {
    if (!cause.timedOut() || node.timedOutAgain() >= settings.failureThreshold()) {
      markDown(node, cause);
    }
  }

  /** Marks a node down; it is skipped until it answers a probe again. */
  void markDown(NodeClient node, RuntimeException cause) {
    NodeView before = views.get(node.server());
    if (before.state() != NodeState.DOWN) {
      setView(node, before.down());
      counters.nodesMarkedDown.increment();
      LOG.warning(() -> "memcached " + node.server() + " marked down: " + cause.getMessage());
    }
  }

  NodeView view(NodeClient node) {
    return views.get(node.server());
  }

  void setView(NodeClient node, NodeView view) {
    views.put(node.server(), view);
    switchPending = views.values().stream().anyMatch(v -> v.state() == NodeState.JOINING);
  }

  /**
   * Reads a node's membership mark at start, marking a node that has none (a fresh server) as it is:
   * it holds nothing a client of this cluster wrote.
   */
  private static NodeView initialView(NodeClient node) {
    try {
      MembershipMark mark = node.mark();
      if (mark == null) {
        node.addMark(MembershipMark.fresh(0));
        mark = node.mark();
      }
      return mark == null ? NodeView.UNKNOWN : NodeView.up(mark);
    } catch (RuntimeException e) {
      return NodeView.UNKNOWN; // unreachable: its first failed operation marks it down
    }
  }

  Collection<NodeClient> nodes() {
    return nodes.values();
  }

  boolean isUsable(ServerAddress server) {
    return views.get(server).usableAt(System.currentTimeMillis());
  }

  /** Which nodes keys are routed to now: one clock reading for a whole placement. */
  private java.util.function.Predicate<ServerAddress> usableNow() {
    long now = System.currentTimeMillis();
    return server -> views.get(server).usableAt(now);
  }

  @Override
  public Map<String, String> getNodeStates() {
    Map<String, String> result = new LinkedHashMap<>();
    nodes.keySet().forEach(s -> result.put(s.toString(), state(s).name()));
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
  public long getSwitchesMissed() {
    return counters.switchesMissed();
  }

  @Override
  public void close() {
    closed = true;
    monitor.close();
    nodes.values().forEach(NodeClient::close);
  }

  @Override
  public String toString() {
    return "Cluster" + getNodeStates();
  }
}
