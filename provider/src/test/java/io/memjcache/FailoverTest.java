package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.cluster.Cluster;
import io.memjcache.cluster.ServerAddress;
import io.memjcache.cluster.health.ClusterMXBean;
import io.memjcache.cluster.health.NodeState;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import io.memjcache.testkit.Waits;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DESIGN invariants 3 and 4, one failure at a time and deterministically: every acknowledged write
 * survives a dead, hung or emptied node; a node that returns never serves an old value or brings
 * back a deleted one. (The chaos repro suites load the same failures with concurrent clients.)
 */
@RealMemcached
class FailoverTest {

  private static final Duration LIMIT = Duration.ofSeconds(15);

  static final int KEYS = 300;

  MemcachedCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private Cache<Integer, String> cache(CacheManager manager) {
    return manager.createCache("c", new MutableConfiguration<Integer, String>().setTypes(Integer.class, String.class));
  }

  private static ClusterMXBean clusterOf(CacheManager manager) {
    return manager.unwrap(MemcachedCacheManager.class).cluster();
  }

  @Test
  void killedPrimaryThenEmptyRestartThenSecondKillLosesNothingAndResurrectsNothing() throws Exception {
    cluster = MemcachedCluster.start(3);
    CacheManager manager = Clients.manager(cluster, "failover:kill", "memjcache.retryIntervalMillis", "100");
    Cache<Integer, String> cache = cache(manager);
    ClusterMXBean health = clusterOf(manager);
    for (int i = 0; i < KEYS; i++) {
      cache.put(i, "v1-" + i);
    }
    MemcachedProcess first = cluster.node(0);
    long killed = System.nanoTime();
    first.kill();
    assertAll(cache, i -> "v1-" + i);
    Waits.until("down on evidence: its port refuses connections", LIMIT,
        () -> stateOf(health, first) == NodeState.DOWN);
    System.out.printf("kill detected by the first operation, %d ms after the kill%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));

    for (int i = 0; i < KEYS; i++) {
      cache.put(i, "v2-" + i); // written while a node is down: to the survivors and stand-ins
    }
    for (int i = 0; i < KEYS; i += 3) {
      cache.remove(i); // deleted while it is down: must not come back
    }
    first.restartEmpty();
    long restarted = System.nanoTime();
    Waits.until("full replication restored", LIMIT, health::isHealthy);
    System.out.printf("empty node repaired and back in %d ms (%d entries copied back, %d stand-in copies dropped)%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted), health.getEntriesRepaired(),
        health.getStandInCopiesDropped());
    assertAll(cache, i -> i % 3 == 0 ? null : "v2-" + i);

    cluster.node(1).kill(); // a second node, after the first one returned
    assertAll(cache, i -> i % 3 == 0 ? null : "v2-" + i);
    Waits.until("the second kill is evidence too", LIMIT, () -> health.getNodesMarkedDown() >= 2);
  }

  @Test
  void aBrieflyHungNodeIsOnlySuspectedItsWritesRefusedAndNothingFlushed() throws Exception {
    cluster = MemcachedCluster.start(3);
    CacheManager manager = Clients.manager(cluster, "failover:blip",
        "memjcache.operationTimeoutMillis", "300", "memjcache.retryIntervalMillis", "100");
    Cache<Integer, String> cache = cache(manager);
    ClusterMXBean health = clusterOf(manager);
    for (int i = 0; i < KEYS; i++) {
      cache.put(i, "old-" + i);
    }
    MemcachedProcess hung = cluster.node(2);
    java.util.Map<Integer, String> acknowledged = new java.util.HashMap<>();
    int refused = 0;
    hung.hang();
    try {
      for (int i = 0; i < KEYS; i++) {
        try {
          cache.put(i, "new-" + i);
          acknowledged.put(i, "new-" + i);
        } catch (javax.cache.CacheException e) {
          refused++; // its outcome is unknown: old or new
        }
      }
      assertEquals(NodeState.SUSPECTED, stateOf(health, hung));
      assertAll(cache, i -> acknowledged.getOrDefault(i, cache.get(i))); // reads served by other replicas
    } finally {
      hung.resume();
    }
    Waits.until("the suspicion cleared", LIMIT, health::isFullyReplicated);
    assertTrue(refused > 0 && acknowledged.size() > 0, refused + " refused, " + acknowledged.size() + " acknowledged");
    assertEquals(0, health.getNodesMarkedDown(), "a suspicion is not evidence");
    assertEquals(0, health.getRejoins(), "nothing flushed");
    for (int i = 0; i < KEYS; i++) {
      String value = cache.get(i);
      if (acknowledged.containsKey(i)) {
        assertEquals(acknowledged.get(i), value, "key " + i);
      } else {
        assertTrue(("old-" + i).equals(value) || ("new-" + i).equals(value), "key " + i + ": " + value);
      }
    }
  }

  @Test
  void aNodeSilentForDownAfterMillisIsDownAndAfterResumingServesNothingOld() throws Exception {
    cluster = MemcachedCluster.start(3);
    CacheManager manager = Clients.manager(cluster, "failover:hang", "memjcache.downAfterMillis", "800",
        "memjcache.operationTimeoutMillis", "300", "memjcache.retryIntervalMillis", "100");
    Cache<Integer, String> cache = cache(manager);
    ClusterMXBean health = clusterOf(manager);
    for (int i = 0; i < KEYS; i++) {
      cache.put(i, "old-" + i);
    }
    MemcachedProcess hung = cluster.node(2);
    hung.hang();
    try {
      cache.getAll(new java.util.HashSet<>(java.util.List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)));
      Waits.until("down after 800 ms of silence", LIMIT, () -> stateOf(health, hung) == NodeState.DOWN);
      for (int i = 0; i < KEYS; i++) {
        cache.put(i, "new-" + i);
      }
      for (int i = 0; i < KEYS; i += 4) {
        cache.remove(i);
      }
    } finally {
      hung.resume(); // it still holds every "old-" value and the deleted keys
    }
    Waits.until("the resumed node flushed, repaired and readmitted", LIMIT, health::isHealthy);
    assertAll(cache, i -> i % 4 == 0 ? null : "new-" + i);
  }

  @Test
  void aSecondClientThatNeverSawTheOutageReadsNoStaleValueOnceTheNodeIsReadmitted() throws Exception {
    cluster = MemcachedCluster.start(3);
    CacheManager writer = Clients.manager(cluster, "failover:two", "memjcache.downAfterMillis", "800",
        "memjcache.operationTimeoutMillis", "500", "memjcache.retryIntervalMillis", "100");
    CacheManager bystander = Clients.manager(cluster, "failover:two", "memjcache.downAfterMillis", "800",
        "memjcache.operationTimeoutMillis", "500", "memjcache.retryIntervalMillis", "100");
    Cache<Integer, String> cache = cache(writer);
    Cache<Integer, String> other = cache(bystander);
    for (int i = 0; i < KEYS; i++) {
      cache.put(i, "old-" + i);
    }
    MemcachedProcess hung = cluster.node(1);
    hung.hang();
    try {
      Waits.until("down after its silence", LIMIT, () -> stateOf(clusterOf(writer), hung) == NodeState.DOWN);
      for (int i = 0; i < KEYS; i++) {
        cache.put(i, "new-" + i);
      }
    } finally {
      hung.resume();
    }
    // until the writer's probe flushes it, the resumed node still holds the old values, and a client
    // that never noticed the outage could read them (the README's limits); from the flush on, the
    // bystander learns of it from the node's membership mark and follows the writer's switch time
    Waits.until("the writer flushed it", LIMIT, () -> stateOf(clusterOf(writer), hung) != NodeState.DOWN);
    for (boolean done = false; !done; ) {
      done = clusterOf(writer).isHealthy() && clusterOf(bystander).isHealthy();
      assertAll(other, i -> "new-" + i);
    }
    assertTrue(clusterOf(bystander).getRejoins() >= 1, "the bystander followed the flush");
    assertEquals(0, clusterOf(bystander).getSwitchesMissed());
  }

  @Test
  void aNodeIsSuspectedOnlyAfterFailureThresholdTimeoutsInARow() throws Exception {
    cluster = MemcachedCluster.start(3);
    // no background probe: only the operations below reach the nodes; a timeout long enough that no
    // operation on a node that answers times out on a loaded machine (100 ms did, counting one)
    CacheManager manager = Clients.manager(cluster, "failover:threshold", "memjcache.failureThreshold", "2",
        "memjcache.operationTimeoutMillis", "400", "memjcache.retryIntervalMillis", "600000");
    Cache<Integer, String> cache = cache(manager);
    ClusterMXBean health = clusterOf(manager);
    java.util.Set<Integer> keys = new java.util.HashSet<>();
    for (int i = 0; i < KEYS; i++) {
      cache.put(i, "v" + i);
      keys.add(i);
    }
    MemcachedProcess slow = cluster.node(0);
    slow.hang();
    try {
      // one multi-get times out on the hung node; its keys are read from their backups
      assertEquals(KEYS, cache.getAll(keys).size());
      assertEquals(NodeState.UP, stateOf(health, slow), "one timeout is below the threshold");
    } finally {
      slow.resume();
    }
    assertAll(cache, i -> "v" + i); // answered by the node again: the count starts over
    slow.hang();
    try {
      assertEquals(KEYS, cache.getAll(keys).size());
      assertEquals(NodeState.UP, stateOf(health, slow), "the count started over after the node answered");
      assertAll(cache, i -> "v" + i); // a get on the hung node times out twice in a row
      assertEquals(NodeState.SUSPECTED, stateOf(health, slow));
      assertEquals(1, health.getSuspicions());
      assertEquals(0, health.getNodesMarkedDown(), "a suspicion is not evidence");
    } finally {
      slow.resume();
    }
  }

  /**
   * A client that stood still through a node's restart and readmission finds the verdict another
   * client left about the node's former life before it reads the node's new mark: it must follow
   * the node's own mark, never route the node's keys to stand-ins on the moot verdict while every
   * other client uses the node.
   */
  @Test
  void aDownNoticeAboutALifeTheNodeHasLeftIsNotObeyed() throws Exception {
    cluster = MemcachedCluster.start(3);
    CacheManager manager = Clients.manager(cluster, "failover:moot", "memjcache.retryIntervalMillis", "100");
    Cache<Integer, String> cache = cache(manager);
    ClusterMXBean health = clusterOf(manager);
    MemcachedProcess node = cluster.node(2); // probed after the nodes holding the notices
    String formerEpoch = node.command("get memjcache:membership").split("\r\n")[1].split(" ")[1];
    rawSet(node, "memjcache:membership", "memjcache-membership-v2 4242 " + System.currentTimeMillis() + " 1");
    String notice = "memjcache-down-v1 " + formerEpoch + " " + System.currentTimeMillis();
    rawSet(cluster.node(0), "memjcache:down:127.0.0.1:" + node.port(), notice);
    rawSet(cluster.node(1), "memjcache:down:127.0.0.1:" + node.port(), notice);
    Waits.until("the node's new mark followed", LIMIT, () -> health.getSwitchesMissed() >= 1);
    long probes = Fixtures.stats(cluster.node(0)).get("cmd_get");
    Waits.until("three more probes of the notices", LIMIT,
        () -> statOrZero(cluster.node(0), "cmd_get") >= probes + 3);
    assertEquals(0, health.getNodesMarkedDown(), "the verdict was about the node's former life");
    cache.put(1, "after");
    assertEquals("after", cache.get(1));
  }

  private static void rawSet(MemcachedProcess node, String key, String value) throws java.io.IOException {
    assertEquals("STORED\r\n", node.command("set " + key + " 0 0 " + value.length() + "\r\n" + value));
  }

  private static long statOrZero(MemcachedProcess node, String name) {
    try {
      return Fixtures.stats(node).get(name);
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  @Test
  void aMarkWithASwitchTimeFarAheadIsIgnoredCountedAndReplaced() throws Exception {
    cluster = MemcachedCluster.start(3);
    CacheManager manager = Clients.manager(cluster, "failover:forged", "memjcache.retryIntervalMillis", "100");
    Cache<Integer, String> cache = cache(manager);
    ClusterMXBean health = clusterOf(manager);
    for (int i = 0; i < KEYS; i++) {
      cache.put(i, "v" + i);
    }
    // anyone who reaches the port can write the mark: one that would keep the node out for an hour
    String forged = "memjcache-membership-v2 42 " + (System.currentTimeMillis() + 3_600_000) + " 0";
    assertEquals("STORED\r\n", cluster.node(0).command("set memjcache:membership 0 0 " + forged.length()
        + "\r\n" + forged));
    Waits.until("the forged mark noticed", LIMIT, () -> health.getMarksRejected() > 0);
    Waits.until("the node flushed, marked anew and repaired, not kept out", LIMIT, health::isFullyReplicated);
    assertAll(cache, i -> "v" + i);
    for (int i = 0; i < KEYS; i++) {
      cache.put(i, "w" + i);
    }
    assertAll(cache, i -> "w" + i);
  }

  @Test
  void everyNodeFlushedByAnOperatorIsReadmittedAndServesNothingOld() throws Exception {
    cluster = MemcachedCluster.start(3);
    CacheManager manager = Clients.manager(cluster, "failover:flushall");
    Cache<Integer, String> cache = cache(manager);
    ClusterMXBean health = clusterOf(manager);
    for (int i = 0; i < KEYS; i++) {
      cache.put(i, "v" + i);
    }
    for (MemcachedProcess node : cluster.nodes()) {
      assertEquals("OK", node.command("flush_all").trim());
    }
    Waits.until("every node lost its mark: down on evidence", LIMIT, () -> health.getNodesMarkedDown() == 3);
    Waits.until("every node marked anew and readmitted", LIMIT, health::isFullyReplicated);
    assertAll(cache, i -> null);
    cache.put(1, "after");
    assertEquals("after", cache.get(1));
  }

  @Test
  void aDedicatedBackupPoolServesWhenTheMainNodeDies() throws Exception {
    cluster = MemcachedCluster.start(3);
    List<MemcachedProcess> nodes = cluster.nodes();
    CacheManager manager = cluster.closeFirst(new MemcachedCachingProvider()).getCacheManager(
        java.net.URI.create("failover:pool"), Clients.LOADER, props(
            "memjcache.servers", nodes.get(0).address() + "," + nodes.get(1).address(),
            "memjcache.backupServers", nodes.get(2).address()));
    Cache<Integer, String> cache = cache(manager);
    for (int i = 0; i < KEYS; i++) {
      cache.put(i, "v" + i);
    }
    String dump = nodes.get(2).command("lru_crawler metadump all");
    // entry keys have a generation after the cache prefix (<12 chars>:), the cache's generation
    // record has none
    assertEquals(KEYS, dump.lines().filter(l -> l.startsWith("key=")).map(l -> URLDecoder.decode(
        l.substring(4, l.indexOf(' ')), StandardCharsets.UTF_8)).filter(k -> !k.contains("membership")
        && k.indexOf(':', 13) > 0).count(), "every entry is in the pool");
    nodes.get(0).kill();
    nodes.get(1).kill();
    assertAll(cache, i -> "v" + i);
  }

  private static java.util.Properties props(String... pairs) {
    java.util.Properties p = new java.util.Properties();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      p.setProperty(pairs[i], pairs[i + 1]);
    }
    return p;
  }

  private static NodeState stateOf(ClusterMXBean health, MemcachedProcess node) {
    return ((Cluster) health).state(new ServerAddress("127.0.0.1", node.port(), 1));
  }

  private static void assertAll(Cache<Integer, String> cache, java.util.function.IntFunction<String> expected) {
    for (int i = 0; i < KEYS; i++) {
      String want = expected.apply(i);
      if (want == null) {
        assertNull(cache.get(i), "key " + i + " was deleted and must stay deleted");
      } else {
        assertEquals(want, cache.get(i), "key " + i);
      }
    }
  }

}
