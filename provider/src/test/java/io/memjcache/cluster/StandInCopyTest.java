package io.memjcache.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.RealMemcached;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stand-in can hold a copy of a key left from an earlier outage (a write that reached it after its
 * repair listed it). No read finds that copy while a home replica is live; a remove must not count
 * it either, or it reports an absent entry as removed (OutOfStepChaosTest saw "remove returned true
 * with acknowledged state -1" once, in its second outage).
 */
@RealMemcached
class StandInCopyTest {

  private static final String KEY = "stand-in-test-key";

  private MemcachedCluster servers;
  private Cluster cluster;
  private ReplicatedItemStore store;

  @BeforeEach
  void start() throws InterruptedException {
    servers = MemcachedCluster.start(3);
    cluster = ClusterOnServers.start(servers, 500, TimeUnit.MINUTES.toMillis(10));
    store = new ReplicatedItemStore(cluster);
  }

  @AfterEach
  void stop() {
    servers.close();
  }

  @Test
  void aRemoveOfAnAbsentEntryIsFalseThoughAStandInHoldsALeftCopy() {
    Node lead = cluster.routing().replicas(KEY).get(0);
    Node backup = cluster.routing().replicas(KEY).get(1);
    cluster.membership().markDown(backup, "test: its home replica is down");
    Node standIn = cluster.routing().replicas(KEY).get(1);
    assertNotEquals(backup, standIn);
    standIn.setAsync(KEY, 0, ClusterOnServers.entry(KEY, 1)).await(); // left from before
    assertNull(lead.get(KEY));
    assertNull(store.get(KEY), "no read finds the left copy");
    assertFalse(store.delete(KEY), "the entry was absent");
    assertNull(standIn.get(KEY), "the left copy is deleted all the same");
  }

  @Test
  void aRemoveOfAnEntryWrittenWhileAHomeReplicaIsDownIsTrue() {
    Node backup = cluster.routing().replicas(KEY).get(1);
    cluster.membership().markDown(backup, "test: its home replica is down");
    store.set(KEY, 0, ClusterOnServers.entry(KEY, 1));
    assertTrue(store.delete(KEY));
  }
}
