package io.memjcache.cluster;

import io.memjcache.cluster.health.ClusterMXBean;
import io.memjcache.cluster.health.NodeState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The nodes of a {@link ClusterConfig} and the routing of each key to them: which replicas a write
 * goes to, in which order reads ask them. Where keys live is {@link Placement}'s, what this client
 * believes of each node {@link Membership}'s, the probes and repairs {@link RejoinMonitor}'s;
 * this class joins them and reports the whole to JMX.
 */
public final class Cluster implements ClusterMXBean, AutoCloseable {

  private static final System.Logger LOG = Loggers.of(Cluster.class);

  static {
    // spymemcached logs to stderr at INFO by default; route it to the provider's logging instead,
    // through our adapter: spymemcached's SunLogger builds a stack trace on every call, enabled or not
    if (System.getProperty("net.spy.log.LoggerImpl") == null) {
      System.setProperty("net.spy.log.LoggerImpl", SpyLogger.class.getName());
    }
  }

  private final ClusterConfig settings;
  private final NodeRecords records;
  private final Placement placement;
  private final Membership membership;
  private final Routing routing;
  private final Map<ServerAddress, Node> nodes = new LinkedHashMap<>();
  private volatile boolean closed;
  private final ClusterCounters counters = new ClusterCounters();
  private final RejoinMonitor monitor;
  private final ServerListCheck serverLists;

  public Cluster(ClusterConfig settings) {
    this(settings, server -> new NodeClient(server, settings.operationTimeoutMillis(),
        settings.format().flags(), settings.credentials()));
  }

  /** A cluster on the nodes {@code connect} opens: over spymemcached, or in memory for a test. */
  Cluster(ClusterConfig settings, Function<ServerAddress, Node> connect) {
    this.settings = settings;
    this.records = new NodeRecords(settings.signer());
    this.placement = new Placement(settings.servers(), settings.backupServers(), settings.copies());
    this.membership = new Membership(settings, placement, counters);
    this.routing = new Routing(placement, membership, nodes, settings.copies());
    try {
      List<ServerAddress> all = new ArrayList<>(settings.servers());
      all.addAll(settings.backupServers());
      for (ServerAddress server : all) {
        Node node = connect.apply(server);
        nodes.put(server, node);
        membership.admit(node, records);
        // a dropped connection is checked at once: a dead or restarted server refuses or lost its
        // mark (evidence), a network blip does neither
        node.onConnectionLost(() -> connectionLost(node));
      }
    } catch (RuntimeException e) {
      nodes.values().forEach(Node::close);
      throw e;
    }
    this.serverLists = new ServerListCheck(this);
    serverLists.check(); // before the first operation: it may have to be refused
    this.monitor = new RejoinMonitor(this);
  }

  public ClusterConfig settings() {
    return settings;
  }

  /** The cluster's own records on the nodes (marks, notices, server lists). */
  NodeRecords records() {
    return records;
  }

  public KetamaRing ring() {
    return placement.ring();
  }

  Membership membership() {
    return membership;
  }

  Routing routing() {
    return routing;
  }

  public ClusterCounters counters() {
    return counters;
  }

  @Override
  public String primaryOf(String memcachedKey) {
    return placement.primary(memcachedKey).toString();
  }

  /** The live replicas, first one first. */
  @Override
  public List<String> replicasOf(String memcachedKey) {
    List<String> result = new ArrayList<>();
    routing.replicas(memcachedKey).forEach(n -> result.add(n.server().toString()));
    return result;
  }

  public NodeState state(ServerAddress server) {
    return membership.state(server);
  }

  /**
   * After this JVM stood still, its views may be stale (a node may have been flushed and switched
   * meanwhile): the first operation after a pause waits until every node's mark was read again.
   */
  void awaitFreshViews() {
    monitor.refreshAfterPause();
    serverLists.requireAgreement();
  }

  /** Reads and refreshes the server list on every node (see {@link ServerListCheck}). */
  void checkServerLists() {
    serverLists.check();
  }

  /** The node carries this client's list in place of an abandoned one: see {@link RejoinMonitor#dropLeftovers}. */
  void serverListChangedOn(Node node) {
    monitor.dropLeftovers(node);
  }

  /** Same as {@link #checkServerLists()}, once per membership pass. */
  void checkServerListsIfDue() {
    serverLists.checkIfDue();
  }

  /**
   * Returns if every node is UP as this client sees it: none suspected or down, none joining, and
   * every rejoined node's mark says its repair is complete. Only then does every entry have all its
   * copies; gate a rolling restart on it, in every client.
   */
  @Override
  public boolean isFullyReplicated() {
    return membership.isFullyReplicated();
  }

  @Override
  public boolean isHealthy() {
    return isFullyReplicated() && serverLists.conflict() == null;
  }

  @Override
  public String getServerListWaiting() {
    String waiting = serverLists.waiting();
    return waiting == null ? "" : waiting;
  }

  @Override
  public String getServerListConflict() {
    String conflict = serverLists.conflict();
    return conflict == null ? "" : conflict;
  }

  /**
   * Records that an operation failed on a node. A timeout while this JVM stood still says nothing
   * about the node and is ignored. A lost connection, or {@code failureThreshold} timeouts in a
   * row, make the node SUSPECTED: a suspicion, on which nothing is flushed and no write is routed
   * elsewhere; the monitor then looks for evidence.
   */
  void failed(Node node, NodeUnavailableException cause) {
    switch (cause.kind()) {
      case TIMEOUT_WHILE_PAUSED, REFUSED_HERE -> { }
      case TIMEOUT -> {
        if (node.timedOutAgain() >= settings.failureThreshold()) {
          membership.suspect(node, cause);
        }
      }
      case NO_CONNECTION -> {
        // looked into at once, by the failed operation itself: a killed server refuses connections
        // (evidence, the same for every client), and then the operation's retry goes to the stand-in
        // instead of failing; anything else is left to the probe
        membership.suspect(node, cause);
        if (node.refusesConnections()) {
          membership.markDown(node, "its port refuses connections");
        } else {
          monitor.checkSoon(node);
        }
      }
    }
  }

  /** Called on spymemcached's I/O thread, which must not wait: the node is looked into apart. */
  private void connectionLost(Node node) {
    if (!closed && monitor != null) {
      membership.suspect(node, new NodeUnavailableException("memcached " + node.server() + " dropped its connection",
          NodeUnavailableException.Kind.NO_CONNECTION, null));
      monitor.checkSoon(node);
    }
  }

  /**
   * Waits for a verdict on a node this client suspects, its probe hastened: see {@link
   * Membership#awaitVerdict}. Returns if the node is no longer suspected.
   */
  boolean awaitVerdict(Node node) {
    monitor.checkSoon(node);
    return membership.awaitVerdict(node);
  }

  Collection<Node> nodes() {
    return nodes.values();
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
  public long getSuspicions() {
    return counters.suspicions();
  }

  @Override
  public long getSelfSuspicions() {
    return counters.selfSuspicions();
  }

  @Override
  public long getMarksRejected() {
    return counters.marksRejected();
  }

  @Override
  public long getKeysListed() {
    return counters.keysListed();
  }


  @Override
  public void close() {
    closed = true;
    monitor.close();
    nodes.values().forEach(Node::close);
  }

  @Override
  public String toString() {
    return "Cluster" + getNodeStates();
  }
}
