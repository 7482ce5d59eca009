package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.RealMemcached;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Speed by construction, measured on the servers themselves: the memcached {@code stats} counters of
 * every node before and after one cache operation show exactly which commands it cost, and where.
 * On an eternal cache without listeners: a {@code get} hit is one get on the key's primary; a
 * {@code getAll} of N keys is N key lookups, only on the nodes owning them; a {@code put} is one set
 * per replica; and nothing else (no touch, no CAS, no delete, no extra connection) is sent.
 */
@RealMemcached
class RoundTripBudgetTest {

  /** Counters of commands a cache operation could cause; every other stat is ignored. */
  static final List<String> COMMAND_COUNTERS = List.of("cmd_get", "cmd_set", "cmd_touch", "cmd_flush",
      "get_hits", "get_misses", "get_expired", "get_flushed", "delete_hits", "delete_misses",
      "incr_hits", "incr_misses", "decr_hits", "decr_misses", "cas_hits", "cas_misses", "cas_badval",
      "touch_hits", "touch_misses", "store_too_large", "store_no_memory", "auth_cmds",
      "total_connections");

  static MemcachedCluster cluster;
  static MemcachedCacheManager single;
  static MemcachedCacheManager replicated;
  static Cache<String, String> noBackup;
  static Cache<String, String> withBackup;

  @BeforeAll
  static void start() {
    cluster = MemcachedCluster.start(3);
    // no background probe during the counts: it reads each node's membership mark once per
    // interval; nor a refresh of a cache's generation record, once per half operation timeout
    single = Fixtures.manager(cluster, "budget:single", "memjcache.copies", "1", "memjcache.retryIntervalMillis",
        "600000", "memjcache.operationTimeoutMillis", "600000", "memjcache.downAfterMillis", "600000");
    replicated = Fixtures.manager(cluster, "budget:replicated", "memjcache.copies", "2", "memjcache.retryIntervalMillis",
        "600000", "memjcache.operationTimeoutMillis", "600000", "memjcache.downAfterMillis", "600000");
    noBackup = single.createCache("eternal", new MutableConfiguration<String, String>());
    withBackup = replicated.createCache("eternal", new MutableConfiguration<String, String>());
    // each cache reads (first made) its generation record before its first operation
    noBackup.containsKey("warm-up");
    withBackup.containsKey("warm-up");
  }

  @AfterAll
  static void stop() {
    try {
      single.close();
      replicated.close();
    } finally {
      cluster.close();
    }
  }

  @Test
  void getHitIsExactlyOneGetOnThePrimaryAndNothingElse() throws Exception {
    for (Cache<String, String> cache : List.of(noBackup, withBackup)) {
      cache.put("hit", "v");
      String primary = primaryOf(cache, "hit");
      Map<String, Map<String, Long>> cost = measure(() -> assertEquals("v", cache.get("hit")));
      assertOnly(cost, Map.of(primary, Map.of("cmd_get", 1L, "get_hits", 1L)), cache + " get");
    }
  }

  @Test
  void containsKeyHitIsExactlyOneGetOnThePrimary() throws Exception {
    withBackup.put("present", "v");
    String primary = primaryOf(withBackup, "present");
    Map<String, Map<String, Long>> cost = measure(() -> assertTrue(withBackup.containsKey("present")));
    assertOnly(cost, Map.of(primary, Map.of("cmd_get", 1L, "get_hits", 1L)), "containsKey");
  }

  @Test
  void getMissWithoutBackupsIsOneGetOnThePrimary() throws Exception {
    String primary = primaryOf(noBackup, "absent");
    Map<String, Map<String, Long>> cost = measure(() -> assertEquals(null, noBackup.get("absent")));
    assertOnly(cost, Map.of(primary, Map.of("cmd_get", 1L, "get_misses", 1L)), "get miss, copies=1");
  }

  @Test
  void getAllOfNKeysIsNLookupsOnlyOnTheNodesOwningThem() throws Exception {
    for (Cache<String, String> cache : List.of(noBackup, withBackup)) {
      // keys owned by two of the three nodes only, so the third must see nothing at all
      String idle = cluster.node(2).address();
      Set<String> keys = new HashSet<>();
      Map<String, Long> perNode = new HashMap<>();
      for (int i = 0; keys.size() < 24; i++) {
        String key = "bulk-" + i;
        String primary = primaryOf(cache, key);
        if (!primary.equals(idle)) {
          keys.add(key);
          perNode.merge(primary, 1L, Long::sum);
          cache.put(key, "value-" + i);
        }
      }
      assertEquals(2, perNode.size(), "the keys spread on both other nodes");

      Map<String, Map<String, Long>> cost = measure(() -> assertEquals(24, cache.getAll(keys).size()));

      Map<String, Map<String, Long>> expected = new HashMap<>();
      perNode.forEach((node, n) -> expected.put(node, Map.of("cmd_get", n, "get_hits", n)));
      assertOnly(cost, expected, cache + " getAll");
    }
  }

  @Test
  void putWithoutBackupsIsExactlyOneSetOnThePrimary() throws Exception {
    String primary = primaryOf(noBackup, "put-one");
    Map<String, Map<String, Long>> cost = measure(() -> noBackup.put("put-one", "v"));
    assertOnly(cost, Map.of(primary, Map.of("cmd_set", 1L)), "put, copies=1");
    // and an overwrite costs the same: no read first
    cost = measure(() -> noBackup.put("put-one", "w"));
    assertOnly(cost, Map.of(primary, Map.of("cmd_set", 1L)), "overwriting put, copies=1");
  }

  @Test
  void putWithBackupsIsExactlyOneSetOnEachReplicaAndNothingElse() throws Exception {
    String mkey = Fixtures.memcachedKey(replicated, "eternal", "put-two");
    List<String> replicas = replicated.cluster().replicasOf(mkey);
    assertEquals(2, replicas.size());
    assertEquals(replicated.cluster().primaryOf(mkey), replicas.get(0));
    Map<String, Map<String, Long>> expected = new HashMap<>();
    replicas.forEach(r -> expected.put(r.toString(), Map.of("cmd_set", 1L)));

    assertOnly(measure(() -> withBackup.put("put-two", "v")), expected, "put, copies=2");
    assertOnly(measure(() -> withBackup.put("put-two", "w")), expected, "overwriting put, copies=2");
  }

  @Test
  void removeOnAnEternalCacheIsOneDeletePerReplicaWithoutAReadFirst() throws Exception {
    withBackup.put("doomed", "v");
    String mkey = Fixtures.memcachedKey(replicated, "eternal", "doomed");
    Map<String, Map<String, Long>> expected = new HashMap<>();
    replicated.cluster().replicasOf(mkey).forEach(r -> expected.put(r.toString(), Map.of("delete_hits", 1L)));
    assertOnly(measure(() -> assertTrue(withBackup.remove("doomed"))), expected, "remove, copies=2");
  }

  /**
   * A conditional write reads every replica in one step, then lets the lead decide, then copies the
   * decision with the CAS id read in the first step: three round trips, and on each replica exactly
   * one read and one write (where the backup was once read a second time before the copy).
   */
  @Test
  void putIfAbsentOfANewKeyIsOneReadAndOneAddOnEachReplica() throws Exception {
    Map<String, Map<String, Long>> expected = onEachReplica("fresh",
        Map.of("cmd_get", 1L, "get_misses", 1L, "cmd_set", 1L));
    assertOnly(measure(() -> assertTrue(withBackup.putIfAbsent("fresh", "v"))), expected, "putIfAbsent, copies=2");
  }

  @Test
  void putIfAbsentOfAPresentKeyWritesNothing() throws Exception {
    withBackup.put("taken", "v");
    Map<String, Map<String, Long>> expected = onEachReplica("taken", Map.of("cmd_get", 1L, "get_hits", 1L));
    assertOnly(measure(() -> assertFalse(withBackup.putIfAbsent("taken", "w"))), expected, "putIfAbsent, present");
  }

  @Test
  void replaceIsOneReadAndOneCasOnEachReplica() throws Exception {
    withBackup.put("swapped", "v");
    Map<String, Map<String, Long>> expected = onEachReplica("swapped",
        Map.of("cmd_get", 1L, "get_hits", 1L, "cmd_set", 1L, "cas_hits", 1L));
    assertOnly(measure(() -> assertTrue(withBackup.replace("swapped", "v", "w"))), expected, "replace, copies=2");
    assertOnly(measure(() -> withBackup.invoke("swapped", (entry, args) -> {
      entry.setValue(entry.getValue() + "!");
      return null;
    })), expected, "invoke, copies=2");
    assertEquals("w!", withBackup.get("swapped"));
  }

  // ------------------------------------------------------------------ measuring

  /** The same counts on each replica of a key of the replicated cache. */
  private static Map<String, Map<String, Long>> onEachReplica(String key, Map<String, Long> counts) {
    String mkey = Fixtures.memcachedKey(replicated, "eternal", key);
    Map<String, Map<String, Long>> expected = new HashMap<>();
    replicated.cluster().replicasOf(mkey).forEach(r -> expected.put(r.toString(), counts));
    return expected;
  }

  private interface Op {
    void run() throws Exception;
  }

  private static String primaryOf(Cache<String, String> cache, String key) {
    MemcachedCacheManager m = cache.getCacheManager().unwrap(MemcachedCacheManager.class);
    return m.cluster().primaryOf(Fixtures.memcachedKey(m, cache.getName(), key)).toString();
  }

  /**
   * The change of every command counter per node (by address) over one operation. An operation may
   * return before a read it sent and no longer needs has reached its node (a conditional write that
   * decides nothing does not wait for the backup's read), so both counts are taken once settled.
   */
  private static Map<String, Map<String, Long>> measure(Op op) throws Exception {
    Settled before = settled();
    op.run();
    Settled after = settled();
    Map<String, Map<String, Long>> delta = new LinkedHashMap<>();
    for (int i = 0; i < cluster.nodes().size(); i++) {
      Map<String, Long> d = new LinkedHashMap<>();
      for (String counter : COMMAND_COUNTERS) {
        long change = after.stats.get(i).getOrDefault(counter, 0L) - before.stats.get(i).getOrDefault(counter, 0L);
        if (counter.equals("total_connections")) {
          change -= after.reads; // the connections that read the stats
        }
        if (change != 0) {
          d.put(counter, change);
        }
      }
      delta.put(cluster.node(i).address(), d);
    }
    return delta;
  }

  /** Counters of every node once two reads 20 ms apart agree, and how many reads that took. */
  private record Settled(List<Map<String, Long>> stats, int reads) {}

  private static Settled settled() throws Exception {
    List<Map<String, Long>> last = Fixtures.stats(cluster);
    for (int reads = 1; reads <= 50; reads++) {
      Thread.sleep(20);
      List<Map<String, Long>> next = Fixtures.stats(cluster);
      if (withoutConnections(next).equals(withoutConnections(last))) {
        return new Settled(next, reads + 1);
      }
      last = next;
    }
    throw new AssertionError("the servers' counters never settled: " + last);
  }

  private static List<Map<String, Long>> withoutConnections(List<Map<String, Long>> stats) {
    return stats.stream().map(node -> {
      Map<String, Long> commands = new HashMap<>(node);
      commands.keySet().retainAll(COMMAND_COUNTERS);
      commands.remove("total_connections");
      return commands;
    }).toList();
  }

  /** Asserts that the operation cost exactly {@code expected} (node -> counter -> change). */
  private static void assertOnly(Map<String, Map<String, Long>> cost, Map<String, Map<String, Long>> expected,
      String what) {
    Map<String, Map<String, Long>> want = new LinkedHashMap<>();
    for (String node : cost.keySet()) {
      want.put(node, expected.getOrDefault(node, Map.of()));
    }
    assertEquals(want, cost, what + ": commands per node");
    List<String> unknown = new ArrayList<>(expected.keySet());
    unknown.removeAll(cost.keySet());
    assertTrue(unknown.isEmpty(), "expected nodes not in the cluster: " + unknown);
  }
}
