package io.memjcache.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.cluster.health.NodeState;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A write to the keys of a node this client suspects waits for the verdict on it rather than failing
 * at once: the suspicion often comes first (spymemcached's I/O thread sees a killed server's
 * connection drop before the write does), and the verdict follows within milliseconds. Only a
 * suspect that stays silent for one operation timeout makes the write fail, and nothing is written
 * around it meanwhile.
 */
@RealMemcached
class SuspectedNodeWriteTest {

  private static final String KEY = "suspect-test-key";
  // generous: on a loaded machine the check that shows a killed node down can take a few hundred ms
  private static final long TIMEOUT_MILLIS = 2000;

  private MemcachedCluster servers;
  private Cluster cluster;
  private ReplicatedItemStore store;
  private Node lead;

  @BeforeEach
  void start() throws InterruptedException {
    servers = MemcachedCluster.start(3);
    cluster = ClusterOnServers.start(servers, TIMEOUT_MILLIS, TimeUnit.MINUTES.toMillis(10));
    store = new ReplicatedItemStore(cluster);
    lead = cluster.routing().replicas(KEY).get(0);
  }

  @AfterEach
  void stop() {
    servers.close();
  }

  @Test
  void aWriteToAFalselySuspectedNodeGoesToItOnceItAnswers() {
    cluster.membership().suspect(lead, dropped(lead));
    store.set(KEY, 0, entry(1));
    assertEquals(NodeState.UP, cluster.state(lead.server()), "it answered with its mark: cleared");
    assertNotNull(lead.get(KEY), "written to the suspect once it answered, not around it");
    assertEquals(0, cluster.getNodesMarkedDown());
  }

  @Test
  void aWriteJustAfterAKillWhoseDropWasNoticedFirstGoesToTheStandIn() {
    store.set(KEY, 0, entry(1));
    MemcachedProcess process = servers.nodeAt(lead.server().toString());
    process.kill();
    cluster.membership().suspect(lead, dropped(lead)); // as the I/O thread does on the dropped connection
    store.set(KEY, 0, entry(2));
    assertEquals(NodeState.DOWN, cluster.state(lead.server()));
    assertArrayEquals(entry(2), store.get(KEY).bytes());
  }

  @Test
  void aWriteToASuspectThatStaysSilentFailsAfterOneOperationTimeoutAndGoesNowhereElse() {
    store.set(KEY, 0, entry(1));
    MemcachedProcess process = servers.nodeAt(lead.server().toString());
    process.hang();
    try {
      long start = System.nanoTime(); // the wait counts from the suspicion
      cluster.membership().suspect(lead, dropped(lead));
      assertThrows(NodeUnavailableException.class, () -> store.set(KEY, 0, entry(2)));
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(waited >= TIMEOUT_MILLIS - 50 && waited < 3 * TIMEOUT_MILLIS, "waited " + waited + " ms");
      Node backup = cluster.routing().replicas(KEY).get(1);
      assertArrayEquals(entry(1), backup.get(KEY).bytes(), "nothing written around it");
    } finally {
      process.resume();
    }
  }

  private static NodeUnavailableException dropped(Node node) {
    return new NodeUnavailableException("memcached " + node.server() + " dropped its connection",
        NodeUnavailableException.Kind.NO_CONNECTION, null);
  }

  private static byte[] entry(long version) {
    return ClusterOnServers.entry(KEY, version);
  }
}
