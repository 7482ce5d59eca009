package io.memjcache.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.MemcachedCachingProvider;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 3: {@code clear()} moves a cache to a new generation of keys. It costs a few round
 * trips whatever the servers hold, and no client, in this JVM or another, reads a cleared entry
 * once it returned; a generation record lost or overwritten by a stranger never brings one back.
 */
@RealMemcached
class ClearGenerationTest {

  static final String MANAGER = "memjcache://clear-test";

  @Test
  void clearingASmallCacheNextToALargeOneListsAndDeletesNothing() throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(3)) {
      CacheManager manager = manager(cluster);
      Cache<Integer, String> large = cache(manager, "large");
      Cache<Integer, String> small = cache(manager, "small");
      fill(large, 30_000);
      fill(small, 1_000);
      Map<String, Long> before = totals(cluster);
      small.clear();
      Map<String, Long> after = totals(cluster);
      assertEquals(0, after.get("lru_crawler_starts") - before.get("lru_crawler_starts"), "key listings");
      assertEquals(0, after.get("delete_hits") + after.get("delete_misses")
          - before.get("delete_hits") - before.get("delete_misses"), "deletes");
      long commands = after.get("cmd_get") + after.get("cmd_set") - before.get("cmd_get") - before.get("cmd_set");
      // the record read and written, and the membership probes of the second clear() takes (40 here),
      // against 2,000 items of the small cache and 62,000 on the servers
      assertTrue(commands <= 200, commands + " commands during clear()");
      assertEquals(0, small.getAll(keys(1_000)).size(), "entries readable after clear()");
      assertEquals(1_000, large.getAll(keys(1_000)).size(), "entries of the other cache");
      int left = 0;
      for (Cache.Entry<Integer, String> ignored : small) {
        left++;
      }
      assertEquals(0, left, "entries iterated after clear()");
    }
  }

  @Test
  void noReaderInAnotherJvmSeesAClearedEntryOnceClearReturned() throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(3);
        ChildJvm watcher = ChildJvm.start(ClearWatcher.class, "128m", cluster.servers(), "9000")) {
      CacheManager manager = manager(cluster);
      Cache<String, String> cache = strings(manager, "c");
      Thread.sleep(2_000); // the watcher's JVM starts and reads
      List<Long> clearedAt = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        cache.put("k", "round-" + round);
        Thread.sleep(300);
        cache.clear();
        clearedAt.add(System.currentTimeMillis());
        Thread.sleep(200);
      }
      Map<String, String> report = watcher.report(30_000);
      Set<String> seen = new HashSet<>();
      int runs = Integer.parseInt(report.get("runs"));
      for (int i = 1; i <= runs; i++) {
        String[] run = report.get("run" + i).split(" ");
        long lastRead = Long.parseLong(run[1]);
        if (run[2].startsWith("round-")) {
          seen.add(run[2]);
          long cleared = clearedAt.get(Integer.parseInt(run[2].substring(6)));
          assertTrue(lastRead < cleared, run[2] + " read " + (lastRead - cleared)
              + " ms after the clear() that removed it returned");
        }
      }
      assertTrue(seen.size() >= 3, "the watcher saw too few values to tell anything: " + seen);
    }
  }

  @Test
  void aDeletedOrOverwrittenGenerationRecordNeverBringsBackClearedEntries() throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(3)) {
      Cache<String, String> writer = strings(manager(cluster), "c");
      writer.put("k", "cleared");
      writer.clear();
      writer.put("later", "written after the clear");
      // a stranger lists the servers and finds the record: a key of the cache without a generation
      String record = recordName(cluster);
      for (MemcachedProcess node : cluster.nodes()) {
        node.command("delete " + record);
      }
      assertNull(strings(manager(cluster), "c").get("k"), "record deleted: a new reader");
      for (MemcachedProcess node : cluster.nodes()) {
        node.command("set " + record + " 0 0 3\r\nbad");
      }
      Cache<String, String> reader = strings(manager(cluster), "c");
      assertNull(reader.get("k"), "record overwritten: a new reader");
      Thread.sleep(600); // the writer's lease of its record (one operation timeout) runs out
      assertNull(writer.get("k"), "record overwritten: the writer");
      writer.put("k", "new");
      assertEquals("new", reader.get("k"), "the clients agree on the generation made anew");
    }
  }

  /** The one key on the servers with the shape of a cache's key (12 chars, ':') but no generation. */
  private static String recordName(MemcachedCluster cluster) throws IOException {
    Set<String> names = new HashSet<>();
    for (MemcachedProcess node : cluster.nodes()) {
      for (String key : ServerKeys.keys(node.port())) {
        if (key.length() > 13 && key.charAt(12) == ':' && key.indexOf(':', 13) < 0) {
          names.add(key);
        }
      }
    }
    assertEquals(1, names.size(), "generation records on the servers: " + names);
    return names.iterator().next();
  }

  private static CacheManager manager(MemcachedCluster cluster) {
    Properties props = new Properties();
    props.setProperty("memjcache.servers", cluster.servers());
    return cluster.closeFirst(new MemcachedCachingProvider())
        .getCacheManager(URI.create(MANAGER), ClearGenerationTest.class.getClassLoader(), props);
  }

  private static Cache<Integer, String> cache(CacheManager manager, String name) {
    return manager.createCache(name,
        new MutableConfiguration<Integer, String>().setTypes(Integer.class, String.class));
  }

  private static Cache<String, String> strings(CacheManager manager, String name) {
    return manager.createCache(name,
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
  }

  private static void fill(Cache<Integer, String> cache, int entries) {
    Map<Integer, String> chunk = new HashMap<>();
    for (int i = 0; i < entries; i++) {
      chunk.put(i, "value-" + i);
      if (chunk.size() == 1_000 || i == entries - 1) {
        cache.putAll(chunk);
        chunk.clear();
      }
    }
  }

  private static Set<Integer> keys(int count) {
    Set<Integer> keys = new HashSet<>();
    for (int i = 0; i < count; i++) {
      keys.add(i);
    }
    return keys;
  }

  /** Counters summed over the nodes, from their own {@code stats}. */
  private static Map<String, Long> totals(MemcachedCluster cluster) throws IOException {
    Map<String, Long> totals = new HashMap<>();
    for (MemcachedProcess node : cluster.nodes()) {
      for (String line : node.command("stats").split("\r\n")) {
        String[] parts = line.split(" ");
        if (parts.length == 3 && parts[0].equals("STAT") && parts[2].matches("\\d+")) {
          totals.merge(parts[1], Long.parseLong(parts[2]), Long::sum);
        }
      }
    }
    for (String name : List.of("lru_crawler_starts", "delete_hits", "delete_misses", "cmd_get", "cmd_set")) {
      assertTrue(totals.containsKey(name), "memcached reports no " + name);
    }
    return totals;
  }
}
