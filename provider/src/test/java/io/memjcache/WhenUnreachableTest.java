package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import io.memjcache.testkit.Waits;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/**
 * {@code memjcache.whenUnreachable} on a real 2-node cluster whose nodes are all killed: by default
 * operations throw; with {@code miss}, reads miss and writes are dropped and counted, and the cache
 * works again once the nodes are back.
 */
@RealMemcached
class WhenUnreachableTest {

  static Cache<String, String> cache(MemcachedCacheManager manager) {
    return manager.createCache("c", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
  }

  static void killAll(MemcachedCluster cluster) {
    cluster.nodes().forEach(MemcachedProcess::kill);
  }

  @Test
  void byDefaultOperationsOnAnUnreachableClusterThrow() {
    try (MemcachedCluster cluster = MemcachedCluster.start(2)) {
      Cache<String, String> cache = cache(Fixtures.manager(cluster, "unreachable:fail"));
      cache.put("k", "v");
      killAll(cluster);
      assertThrows(CacheException.class, () -> cache.get("k"));
      assertThrows(CacheException.class, () -> cache.put("k", "w"));
    }
  }

  @Test
  void withMissReadsMissAndWritesAreDroppedAndCounted() throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(2)) {
      MemcachedCacheManager manager = Fixtures.manager(cluster, "unreachable:miss",
          "memjcache.whenUnreachable", "miss", "memjcache.retryIntervalMillis", "100");
      Cache<String, String> cache = cache(manager);
      cache.put("k", "v");
      assertEquals("v", cache.get("k"));
      assertEquals(0, manager.unreachableMisses() + manager.droppedWrites());

      killAll(cluster);
      assertNull(cache.get("k"));
      assertEquals(Map.of(), cache.getAll(Set.of("k", "j")));
      cache.put("k", "w");
      assertTrue(cache.putIfAbsent("n", "x"), "accepted, then lost like an evicted entry");
      cache.remove("k");
      assertNull(cache.get("n"));
      assertTrue(manager.unreachableMisses() >= 3, "misses " + manager.unreachableMisses());
      assertTrue(manager.droppedWrites() >= 3, "dropped " + manager.droppedWrites());

      cluster.nodes().forEach(MemcachedProcess::restartEmpty);
      Waits.until("every node readmitted", Duration.ofSeconds(10), manager.cluster()::isHealthy);
      cache.put("k", "back");
      assertEquals("back", cache.get("k"), "the cache works again once the nodes answer");
    }
  }

  /**
   * A record read as a miss would move the client to a generation of its own, and a write it
   * acknowledged there would be gone once the record answers again: the generation known is kept.
   */
  @Test
  void withMissAWriteMadeWhileTheGenerationRecordIsUnreachableIsKept() throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(2)) {
      MemcachedCacheManager manager = Fixtures.manager(cluster, "unreachable:record",
          "memjcache.whenUnreachable", "miss", "memjcache.copies", "1");
      Cache<String, String> cache = cache(manager);
      cache.put("first", "v"); // reads the generation record, written on one node
      MemcachedProcess recordNode = nodeHoldingTheRecord(cluster, manager);
      String key = "k";
      for (int i = 0; manager.cluster().primaryOf(Fixtures.memcachedKey(manager, "c", key)).toString()
          .equals(recordNode.address()); i++) {
        key = "k" + i;
      }
      recordNode.hang();
      try {
        Thread.sleep(600); // past the lease of the record read (one operation timeout)
        cache.put(key, "kept");
        assertEquals("kept", cache.get(key));
      } finally {
        recordNode.resume();
      }
      Thread.sleep(600);
      assertEquals("kept", cache.get(key), "the write made while the record was unreachable");
    }
  }

  /** The node holding the generation record of cache {@code c}: its name has the cache's prefix, no generation. */
  private static MemcachedProcess nodeHoldingTheRecord(MemcachedCluster cluster, MemcachedCacheManager manager)
      throws Exception {
    String record = Fixtures.codec(manager.settings().namespace(), "c").encodeKey("generation").memcachedKey();
    MemcachedProcess node = cluster.nodeAt(manager.cluster().primaryOf(record).toString());
    assertEquals("HD", node.command("mg " + record).trim(), "the record is on its node");
    return node;
  }

  @Test
  void anUnknownValueIsAnErrorNamingTheSetting() {
    try (MemcachedCluster cluster = MemcachedCluster.start(1)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Fixtures.manager(cluster, "unreachable:bad", "memjcache.whenUnreachable", "ignore"));
      assertTrue(e.getMessage().contains("memjcache.whenUnreachable"), e.getMessage());
    }
  }
}
