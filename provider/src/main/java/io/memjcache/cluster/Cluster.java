package io.memjcache.cluster;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nodes of a {@link ClusterConfig}, their health, and where each key lives.
 *
 * <p>A key's replicas are the first {@code copies} usable nodes clockwise from its position on the
 * ketama ring, or, with a backup pool, the first usable node of the main ring followed by the first
 * usable ones of the backup ring. A node that fails an operation is marked {@link NodeState#DOWN}
 * at once, so its keys fall to the next node (the stand-in) until {@link RejoinMonitor} readmits it.
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
  private final KetamaRing ring;
  private final KetamaRing backupRing;
  private final Map<ServerAddress, NodeClient> nodes = new LinkedHashMap<>();
  private final Map<ServerAddress, NodeView> views = new ConcurrentHashMap<>();
  /** Whether some node is JOINING: only then must writes check for a switch in progress. */
  private volatile boolean switchPending;
  /** When a node last went DOWN: commits check for a failover in progress only shortly after. */
  private volatile long lastDownAtMillis;
  private volatile boolean closed;
  private final ClusterCounters counters = new ClusterCounters();
  private final RejoinMonitor monitor;
  private final ServerListCheck serverLists;
  /** Notified at every change of a view: writes waiting for a verdict on a suspect wait on it. */
  private final Object viewChanged = new Object();

  public Cluster(ClusterConfig settings) {
    this.settings = settings;
    this.records = new NodeRecords(settings.signer());
    this.ring = new KetamaRing(settings.servers());
    this.backupRing = settings.backupServers().isEmpty() ? null : new KetamaRing(settings.backupServers());
    try {
      List<ServerAddress> all = new ArrayList<>(settings.servers());
      all.addAll(settings.backupServers());
      for (ServerAddress server : all) {
        NodeClient node = new NodeClient(server, settings.operationTimeoutMillis(), settings.format().flags(),
            settings.credentials());
        nodes.put(server, node);
        views.put(server, initialView(node));
        // a dropped connection is checked at once: a dead or restarted server refuses or lost its
        // mark (evidence), a network blip does neither
        node.onConnectionLost(() -> connectionLost(node));
      }
    } catch (RuntimeException e) {
      nodes.values().forEach(NodeClient::close);
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
  void serverListChangedOn(NodeClient node) {
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
    return views.values().stream().allMatch(v -> v.state() == NodeState.UP);
  }

  /** Returns if every node is UP ({@link #isFullyReplicated()}) and every client uses this server list. */
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
   * How long before and after a JOINING node's switch time writes to its keys wait: together one
   * operation timeout, so that no write routed the old way is still in flight when the first one
   * routed the new way is made, and no write waits longer than that (clocks of the clients are
   * assumed to agree within a small part of it).
   */
  long switchGuardMillis() {
    return Math.max(1, settings.operationTimeoutMillis() / 2);
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
   * Likewise for one operation timeout after a home replica of the key went DOWN: a decision another
   * client made on it just before may still be on its way to the replica that takes over, and a
   * commit there must not overtake it (one that lands first turns this commit's CAS into a conflict,
   * and the key is read again). Bounded by twice the guard.
   */
  void awaitStableRouting(String key) {
    long start = System.currentTimeMillis();
    if (!switchPending && start >= lastDownAtMillis + settings.operationTimeoutMillis()) {
      return;
    }
    for (Map.Entry<ServerAddress, NodeView> e : views.entrySet()) {
      NodeView view = e.getValue();
      long now = System.currentTimeMillis();
      long until;
      if (view.state() == NodeState.JOINING && now >= view.switchAtMillis() - switchGuardMillis()) {
        until = view.switchAtMillis() + switchGuardMillis();
      } else if (view.state() == NodeState.DOWN) {
        until = view.sinceMillis() + settings.operationTimeoutMillis();
      } else {
        continue;
      }
      if (now < until && placement(key, server -> true).contains(e.getKey())) {
        try {
          Thread.sleep(until - now);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new javax.cache.CacheException("interrupted while " + e.getKey() + " joins", ie);
        }
      }
    }
  }

  /**
   * The replica a read asks first: the first live replica if this client trusts it, else the
   * first of {@link #readReplicas}; null if none is live.
   */
  NodeClient lead(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    java.util.function.Predicate<ServerAddress> usable = usableNow();
    List<ServerAddress> first = ring.replicas(bytes, 1, usable);
    if (first.isEmpty() && backupRing != null) {
      first = backupRing.replicas(bytes, 1, usable);
    }
    if (first.isEmpty()) {
      return null;
    }
    if (views.get(first.get(0)).state() == NodeState.UP) {
      return nodes.get(first.get(0));
    }
    List<NodeClient> readers = readReplicas(key);
    return readers.isEmpty() ? null : readers.get(0);
  }

  /**
   * The live replicas of a key, the one that arbitrates CAS first: where its writes go. A SUSPECTED
   * node stays in the list, so that its keys are never written elsewhere on a suspicion.
   */
  List<NodeClient> replicas(String key) {
    List<NodeClient> result = new ArrayList<>(settings.copies());
    placement(key, usableNow()).forEach(s -> result.add(nodes.get(s)));
    return result;
  }

  /**
   * The live replicas of a key in the order reads ask them: ring order (home replicas before a
   * stand-in, which has only the writes made since it stood in), except that a home replica in use
   * (UP) goes before one being repaired (which may lack an entry or, written by a client that
   * learned of its flush late, hold an older one), and suspects go last, asked only when nothing
   * else is left.
   */
  List<NodeClient> readReplicas(String key) {
    List<NodeClient> result = replicas(key);
    result.sort(java.util.Comparator.comparing(n -> views.get(n.server()).state() == NodeState.SUSPECTED));
    if (result.size() > 1 && !isUp(result.get(0)) && isUp(result.get(1))
        && isHomeReplica(key, result.get(1))) {
      java.util.Collections.swap(result, 0, 1);
    }
    return result;
  }

  private boolean isUp(NodeClient node) {
    return views.get(node.server()).state() == NodeState.UP;
  }

  /**
   * Returns if every node but {@code node} answers this client: only then may its silence be taken
   * for the node's failure. A client that times out on several nodes at once is the likelier
   * culprit (its network, its CPU): it waits, suspecting, and flushes nothing.
   */
  boolean othersAnswer(NodeClient node) {
    return views.entrySet().stream()
        .allMatch(e -> e.getKey().equals(node.server()) || e.getValue().state() != NodeState.SUSPECTED);
  }

  /** The client of the node that failed with {@code e}, or {@code fallback} if it names none. */
  NodeClient nodeOf(NodeUnavailableException e, NodeClient fallback) {
    NodeClient node = e.node() == null ? null : nodes.get(e.node());
    return node == null ? fallback : node;
  }

  /** Returns if this client suspects a node (see {@link NodeState#SUSPECTED}). */
  boolean isSuspected(NodeClient node) {
    return views.get(node.server()).state() == NodeState.SUSPECTED;
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
   * Records that an operation failed on a node. A timeout while this JVM stood still says nothing
   * about the node and is ignored. A lost connection, or {@code failureThreshold} timeouts in a
   * row, make the node SUSPECTED: a suspicion, on which nothing is flushed and no write is routed
   * elsewhere; the monitor then looks for evidence.
   */
  void failed(NodeClient node, NodeUnavailableException cause) {
    switch (cause.kind()) {
      case TIMEOUT_WHILE_PAUSED, REFUSED_HERE -> { }
      case TIMEOUT -> {
        if (node.timedOutAgain() >= settings.failureThreshold()) {
          suspect(node, cause);
        }
      }
      case NO_CONNECTION -> {
        // looked into at once, by the failed operation itself: a killed server refuses connections
        // (evidence, the same for every client), and then the operation's retry goes to the stand-in
        // instead of failing; anything else is left to the probe
        suspect(node, cause);
        if (node.refusesConnections()) {
          markDown(node, "its port refuses connections");
        } else {
          monitor.checkSoon(node);
        }
      }
    }
  }

  /** Called on spymemcached's I/O thread, which must not wait: the node is looked into apart. */
  private void connectionLost(NodeClient node) {
    if (!closed && monitor != null) {
      suspect(node, new NodeUnavailableException("memcached " + node.server() + " dropped its connection",
          NodeUnavailableException.Kind.NO_CONNECTION, null));
      monitor.checkSoon(node);
    }
  }

  synchronized void suspect(NodeClient node, NodeUnavailableException cause) {
    NodeView before = views.get(node.server());
    if (before.state() != NodeState.UP && before.state() != NodeState.REPAIRING) {
      return;
    }
    setView(node, before.suspected(System.currentTimeMillis()));
    counters.suspicions.increment();
    LOG.log(Level.WARNING, () -> "memcached " + node.server() + " suspected (reads go to other replicas, writes"
        + " to its keys wait for it to answer or be shown down, for one operation timeout at most): " + cause.getMessage());
  }

  /**
   * Marks a node down on evidence that it failed (see {@link NodeState#DOWN}); its keys go to
   * stand-ins until it is flushed and readmitted.
   */
  void markDown(NodeClient node, String evidence) {
    NodeView before = views.get(node.server());
    if (before.state() != NodeState.DOWN) {
      long now = System.currentTimeMillis();
      setView(node, before.down(now));
      lastDownAtMillis = now;
      counters.nodesMarkedDown.increment();
      LOG.log(Level.WARNING, () -> "memcached " + node.server() + " down: " + evidence);
    }
  }

  /**
   * Follows a verdict that a node is down from {@code fromMillis} (this client's own, or another's
   * found in a {@link DownNotice}): until then it is SUSPECTED, from then on DOWN, whatever it
   * answers meanwhile, as for every other client.
   */
  void condemn(NodeClient node, long fromMillis, String why) {
    NodeView before = views.get(node.server());
    if (before.isCondemned() || before.state() == NodeState.DOWN || before.state() == NodeState.JOINING) {
      return;
    }
    setView(node, before.condemned(System.currentTimeMillis(), fromMillis));
    LOG.log(Level.WARNING, () -> "memcached " + node.server() + " is down for every client from "
        + java.time.Instant.ofEpochMilli(fromMillis) + ": " + why);
  }

  /** Clears a suspicion: the node answered with the mark this client knew, so it missed nothing. */
  void cleared(NodeClient node, MembershipMark mark) {
    setView(node, NodeView.inUse(mark));
    LOG.log(Level.INFO, () -> "memcached " + node.server() + " answers again; suspicion cleared, nothing flushed");
  }

  NodeView view(NodeClient node) {
    return views.get(node.server());
  }

  void setView(NodeClient node, NodeView view) {
    views.put(node.server(), view);
    switchPending = views.values().stream().anyMatch(v -> v.state() == NodeState.JOINING);
    synchronized (viewChanged) {
      viewChanged.notifyAll();
    }
  }

  /**
   * Waits for a verdict on a node this client suspects (it answers again, or it is shown to be
   * down), at most until one operation timeout after the suspicion began. A killed server is shown
   * down within milliseconds (its port refuses connections), and a write to its keys then goes to
   * the stand-in instead of failing because the dropped connection was noticed first. Returns if the
   * node is no longer suspected.
   */
  boolean awaitVerdict(NodeClient node) {
    monitor.checkSoon(node);
    synchronized (viewChanged) {
      while (isSuspected(node)) {
        long left = view(node).sinceMillis() + settings.operationTimeoutMillis() - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        try {
          viewChanged.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new javax.cache.CacheException("interrupted while waiting for a verdict on " + node.server(), e);
        }
      }
      return true;
    }
  }

  /**
   * Reads a node's membership mark at start, marking a node that has none (a fresh server) as it is:
   * it holds nothing a client of this cluster wrote.
   */
  private NodeView initialView(NodeClient node) {
    try {
      MembershipMark mark = records.mark(node);
      if (mark == null) {
        records.addMark(node, MembershipMark.fresh(0).asRepaired());
        mark = records.mark(node);
      }
      return mark == null ? NodeView.UNKNOWN : NodeView.inUse(mark);
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
    nodes.values().forEach(NodeClient::close);
  }

  @Override
  public String toString() {
    return "Cluster" + getNodeStates();
  }
}
