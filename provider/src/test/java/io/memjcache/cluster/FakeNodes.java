package io.memjcache.cluster;

import io.memjcache.config.ClusterSettings;
import io.memjcache.security.KeyRing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Fake memcached nodes and the clients of the cluster they make: each client a real {@link Cluster}
 * (membership, routing, replication, the switch guard) built on the same {@link FakeNode}s, as JVMs
 * share servers. Two copies of each entry; a node is suspected after two timeouts in a row, so one
 * scripted timeout is retried at once; the membership pass runs every 10 minutes, so no probe but
 * the one at start (on records only, never on a test's keys) runs during a test.
 */
final class FakeNodes implements AutoCloseable {

  private final Map<ServerAddress, FakeNode> nodes = new LinkedHashMap<>();
  private final ClusterConfig config;
  private final List<Cluster> clients = new ArrayList<>();
  private final List<Repairs> repairs = new ArrayList<>();

  /** {@code count} nodes, each operation timing out after {@code operationTimeoutMillis}. */
  FakeNodes(int count, long operationTimeoutMillis) {
    List<ServerAddress> servers = new ArrayList<>();
    for (int port = 1; port <= count; port++) {
      servers.add(ServerAddress.parse("127.0.0.1:" + port)); // never connected to
    }
    config = new ClusterSettings(servers, List.of(), 2, operationTimeoutMillis,
        TimeUnit.MINUTES.toMillis(10), 2, 10 * operationTimeoutMillis, "", KeyRing.NONE,
        SaslCredentials.NONE, "").clusterConfig();
    servers.forEach(s -> nodes.put(s, new FakeNode(s, config.format().flags())));
  }

  /** A new client of the cluster (one JVM's view of it), closed with these nodes. */
  Cluster client() {
    Cluster client = new Cluster(config, nodes::get);
    clients.add(client);
    return client;
  }

  /**
   * The readmission steps of a client, called by a test in place of its monitor's probes (which run
   * every 10 minutes here), so that two clients' probes interleave as the script says.
   */
  Readmission readmission(Cluster client) {
    return new Readmission(client, new MarksAndNotices(client), repairs(client));
  }

  /** The repairs of a client, started by a test in place of its monitor's probes. */
  Repairs repairs(Cluster client) {
    Repairs clientRepairs = new Repairs(client, "fake-repair");
    repairs.add(clientRepairs);
    return clientRepairs;
  }

  /**
   * Waits until every client's first membership pass (run at its start, on a thread of its own)
   * has read every node's mark, five seconds at most: a test that scripts steps on the marks or
   * changes a client's views must not race it.
   */
  void awaitFirstPasses() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (FakeNode node : nodes.values()) {
      while (node.countApplied(NodeScript.Op.MULTI_GET, MembershipMark.KEY) < clients.size()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the clients' first membership pass did not read " + node);
        }
        Thread.sleep(1);
      }
    }
  }

  /** The fake node of {@code node} (one of a client's nodes). */
  FakeNode fake(Node node) {
    return nodes.get(node.server());
  }

  /** The node that holds no copy of {@code key} while every node is up: its stand-in with 3 nodes. */
  FakeNode standInOf(String key, Cluster client) {
    List<Node> home = client.routing().replicas(key);
    return nodes.values().stream().filter(n -> home.stream().noneMatch(h -> h.server().equals(n.server())))
        .findFirst().orElseThrow();
  }

  @Override
  public void close() {
    repairs.forEach(Repairs::close);
    clients.forEach(Cluster::close);
  }
}
