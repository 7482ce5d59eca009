package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Speed by construction, counted by the servers themselves ({@code stats}): the provider sends
 * memcached no command it does not need.
 */
@RealMemcached
class RoundTripTest {

  static MemcachedCluster cluster;
  static CacheManager manager;
  static Cache<String, String> cache;

  @BeforeAll
  static void start() {
    cluster = MemcachedCluster.start(3);
    // no background probe during the counts: it reads each node's membership mark once per
    // interval; nor a refresh of the cache's generation record, once per half operation timeout
    manager = Clients.manager(cluster, "roundtrip:test", "memjcache.retryIntervalMillis", "600000",
        "memjcache.operationTimeoutMillis", "600000", "memjcache.downAfterMillis", "600000");
    cache = manager.createCache("c", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    // the cache reads (first makes) its generation record before its first operation
    cache.containsKey("warm-up");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aHitIsOneGetOnTheKeysPrimaryAndNothingElse() throws Exception {
    cache.put("hit", "v");
    Map<String, Map<String, Long>> before = stats();
    assertEquals("v", cache.get("hit"));
    Map<String, Map<String, Long>> delta = delta(before, stats());
    String primary = manager.unwrap(MemcachedCacheManager.class).cluster()
        .primaryOf(Clients.memcachedKey(manager, "c", "hit")).toString();
    for (MemcachedProcess node : cluster.nodes()) {
      Map<String, Long> d = delta.get(node.address());
      long expectedGets = node.address().equals(primary) ? 1 : 0;
      assertEquals(expectedGets, d.get("cmd_get"), node.address() + " " + d);
      assertEquals(0, d.get("cmd_set") + d.get("cmd_touch") + d.get("delete_hits") + d.get("delete_misses"),
          node.address() + " " + d);
    }
  }

  @Test
  void aPutOnAnEternalCacheIsOneSetPerReplicaAndNoRead() throws Exception {
    Map<String, Map<String, Long>> before = stats();
    cache.put("put", "v");
    Map<String, Map<String, Long>> delta = delta(before, stats());
    assertEquals(2, sum(delta, "cmd_set"), "two copies: " + delta);
    assertEquals(0, sum(delta, "cmd_get"), delta.toString());
  }

  @Test
  void getAllAsksEachKeyOnceOnlyOnItsPrimary() throws Exception {
    Set<String> keys = new HashSet<>();
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < 60; i++) {
      keys.add("all-" + i);
      values.put("all-" + i, "v" + i);
    }
    cache.putAll(values);
    Map<String, Map<String, Long>> before = stats();
    assertEquals(values, cache.getAll(keys));
    Map<String, Map<String, Long>> delta = delta(before, stats());
    assertEquals(60, sum(delta, "cmd_get"), "each key asked once: " + delta);
    assertEquals(60, sum(delta, "get_hits"));
    assertEquals(0, sum(delta, "cmd_set") + sum(delta, "cmd_touch"));
  }

  private static long sum(Map<String, Map<String, Long>> delta, String stat) {
    return delta.values().stream().mapToLong(m -> m.get(stat)).sum();
  }

  private static Map<String, Map<String, Long>> stats() throws IOException {
    Map<String, Map<String, Long>> all = new HashMap<>();
    for (MemcachedProcess node : cluster.nodes()) {
      Map<String, Long> stats = new HashMap<>();
      for (String line : node.command("stats").split("\r\n")) {
        String[] parts = line.split(" ");
        if (parts.length == 3 && parts[0].equals("STAT") && parts[2].matches("\\d+")) {
          stats.put(parts[1], Long.parseLong(parts[2]));
        }
      }
      all.put(node.address(), stats);
    }
    return all;
  }

  private static Map<String, Map<String, Long>> delta(Map<String, Map<String, Long>> before,
      Map<String, Map<String, Long>> after) {
    Map<String, Map<String, Long>> delta = new HashMap<>();
    after.forEach((node, stats) -> {
      Map<String, Long> d = new HashMap<>();
      stats.forEach((k, v) -> d.put(k, v - before.get(node).getOrDefault(k, 0L)));
      delta.put(node, d);
    });
    return delta;
  }
}
