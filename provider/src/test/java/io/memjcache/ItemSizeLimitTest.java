package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import io.memjcache.testkit.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DESIGN invariant 7 for entries larger than memcached's item size limit ({@code -I 1m} here): every
 * write path refuses them with a CacheException that says so, promptly, and the refusal is the
 * client's problem only: no node is marked down (which would get it flushed on its return, taking
 * every other entry on it along), the connections stay usable, and other entries survive.
 *
 * <p>Each case runs on a cluster of its own, so a failure cannot spill into the next case.
 */
@RealMemcached
class ItemSizeLimitTest {

  static final Duration PROMPTLY = Duration.ofSeconds(5);
  static final long RETRY_INTERVAL_MILLIS = 100;
  static final byte[] TWO_MEGABYTES = new byte[2 * 1024 * 1024];

  static {
    Arrays.fill(TWO_MEGABYTES, (byte) 7);
  }

  /** The write paths that replace an existing entry with CAS (a read first, then a CAS write). */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"getAndPut", "replace(k, v)", "getAndReplace", "replace(k, old, new)", "invoke"})
  void aConditionalWriteOfAValueOverTheLimitIsACacheExceptionAndHarmsNothingElse(String path) throws Exception {
    onOwnCluster((manager, cache) -> {
      cache.put("big", "small before");
      Executable write = switch (path) {
        case "getAndPut" -> () -> cache.getAndPut("big", TWO_MEGABYTES);
        case "replace(k, v)" -> () -> cache.replace("big", TWO_MEGABYTES);
        case "getAndReplace" -> () -> cache.getAndReplace("big", TWO_MEGABYTES);
        case "replace(k, old, new)" -> () -> cache.replace("big", "small before", TWO_MEGABYTES);
        case "invoke" -> () -> cache.invoke("big", (entry, args) -> {
          entry.setValue(TWO_MEGABYTES);
          return null;
        });
        default -> throw new IllegalArgumentException(path);
      };
      assertTooLarge(path, write);
      Object after = cache.get("big");
      assertTrue(after == null || after.equals("small before"), path + " left " + after);
    });
  }

  @Test
  void aBlindPutOrPutAllOfAValueOverTheLimitIsACacheExceptionAndHarmsNothingElse() throws Exception {
    onOwnCluster((manager, cache) -> {
      cache.put("big", "small before");
      assertTooLarge("put", () -> cache.put("big", TWO_MEGABYTES));
      // memcached drops the old item when it refuses a set: gone or old, never anything else
      Object after = cache.get("big");
      assertTrue(after == null || after.equals("small before"), "put left " + after);
      assertTooLarge("putAll", () -> cache.putAll(Map.of("big", TWO_MEGABYTES, "small", "fine")));
    });
  }

  @Test
  void putIfAbsentOfAValueOverTheLimitIsACacheExceptionAndStoresNothing() throws Exception {
    onOwnCluster((manager, cache) -> {
      assertTooLarge("putIfAbsent", () -> cache.putIfAbsent("big-new", TWO_MEGABYTES));
      assertNull(cache.get("big-new"));
    });
  }

  @Test
  void aKeyOverTheLimitIsACacheExceptionToo() throws Exception {
    // a long key is stored under its digest, but the full key travels in the entry
    String twoMegabyteKey = "k".repeat(2 * 1024 * 1024);
    onOwnCluster((manager, cache) -> {
      assertTooLarge("put with a 2 MB key", () -> cache.put(twoMegabyteKey, "v"));
      assertNull(cache.get(twoMegabyteKey));
    });
  }

  @Test
  void conditionalWritesRightAroundTheServersExactLimitNeverMarkANodeDown() throws Exception {
    onOwnCluster((manager, cache) -> {
      cache.put("edge", "small");
      String mkey = Fixtures.memcachedKey(manager, "c", "edge");
      MemcachedProcess node = clusterNodeOf(manager, mkey);
      // the largest item memcached accepts under this very key and flags, found with raw text sets
      int low = 900_000;
      int high = 1_100_000;
      while (low < high) {
        int mid = (low + high + 1) / 2;
        if (rawSetFits(node, mkey, mid)) {
          low = mid;
        } else {
          high = mid - 1;
        }
      }
      int limit = low;
      node.command("delete " + mkey);
      cache.put("edge", "small");
      byte[] keyBytes = Fixtures.keyBytes("edge");
      int tried = 0;
      for (int n = limit - 200; n < limit + 200; n += 3) {
        byte[] value = new byte[n];
        int envelope = io.memjcache.codec.EnvelopeCodec.encode(keyBytes, Fixtures.kryo(value), 1, 1).length;
        if (Math.abs(envelope - limit) > 40) {
          continue;
        }
        tried++;
        try {
          cache.getAndPut("edge", value); // may fit or not: either way a clean outcome
        } catch (CacheException e) {
          assertTrue(e.getMessage().contains("item size limit"),
              "an entry of " + envelope + " bytes (server limit " + limit + "): " + e.getMessage());
        }
        assertEquals(0, manager.cluster().getNodesMarkedDown(), "an entry of " + envelope
            + " bytes (server limit " + limit + ") marked a node down: " + manager.cluster().getNodeStates());
        cache.put("edge", "small");
      }
      assertTrue(tried >= 20, "swept " + tried + " sizes across the limit");
    });
  }

  // ------------------------------------------------------------------ helpers

  private static MemcachedCluster currentCluster;

  private static MemcachedProcess clusterNodeOf(MemcachedCacheManager manager, String mkey) {
    return currentCluster.nodeAt(manager.cluster().primaryOf(mkey).toString());
  }

  /** Returns if memcached stores an item of {@code length} data bytes under the key with our flags. */
  private static boolean rawSetFits(MemcachedProcess node, String mkey, int length) throws java.io.IOException {
    String reply = node.command("set " + mkey + " " + io.memjcache.codec.EnvelopeCodec.FLAGS + " 0 " + length
        + "\r\n" + "x".repeat(length));
    if (reply.startsWith("STORED")) {
      return true;
    }
    assertTrue(reply.startsWith("SERVER_ERROR object too large"), reply);
    return false;
  }

  private interface Scenario {
    void run(MemcachedCacheManager manager, Cache<Object, Object> cache) throws Throwable;
  }

  /**
   * Waits until the provider's background probe has passed every node {@code rounds} more times:
   * each pass reads the node's membership mark, one {@code get_hits} in its {@code stats} (nothing
   * else reads while this waits).
   */
  private static void awaitProbeRounds(MemcachedCluster cluster, int rounds) throws IOException {
    List<Map<String, Long>> before = Fixtures.stats(cluster);
    Waits.until(rounds + " probe rounds on every node", PROMPTLY, () -> {
      try {
        List<Map<String, Long>> now = Fixtures.stats(cluster);
        for (int i = 0; i < now.size(); i++) {
          if (now.get(i).get("get_hits") < before.get(i).get("get_hits") + rounds) {
            return false;
          }
        }
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * Runs a scenario on a fresh 2-node cluster (1 MB items, backups on, fast probing), with a
   * bystander entry on every node; afterwards, and after several probe intervals, every node must be
   * UP, none ever marked down, the bystanders intact and the same connections serving promptly.
   */
  private static void onOwnCluster(Scenario scenario) throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(2, List.of("-I", "1m", "-o", "lru_crawler_sleep=0"))) {
      currentCluster = cluster;
      MemcachedCacheManager manager = Fixtures.manager(cluster, "size-limit:case",
          "memjcache.retryIntervalMillis", Long.toString(RETRY_INTERVAL_MILLIS));
      try {
        Cache<Object, Object> cache = manager.createCache("c", new MutableConfiguration<>());
        for (int i = 0; i < 20; i++) {
          cache.put("bystander-" + i, i);
        }
        assertTimeoutPreemptively(PROMPTLY, () -> scenario.run(manager, cache));

        awaitProbeRounds(cluster, 3); // a node wrongly marked down would be flushed by now
        assertEquals(0, manager.cluster().getNodesMarkedDown(),
            "a refused item is no node failure: " + manager.cluster().getNodeStates());
        assertTrue(manager.cluster().isHealthy(), manager.cluster().getNodeStates().toString());
        assertTimeoutPreemptively(PROMPTLY, () -> {
          for (int i = 0; i < 20; i++) {
            assertEquals(i, cache.get("bystander-" + i), "bystander-" + i + " survived");
          }
          cache.put("after", "works");
          assertEquals("works", cache.get("after"));
          assertTrue(cache.replace("after", "works", "still works"));
        });
      } finally {
        manager.close();
      }
    }
  }

  private static void assertTooLarge(String what, Executable write) {
    CacheException e = assertThrows(CacheException.class, write, what + " of an entry over the item size limit");
    assertTrue(e.getMessage() != null && e.getMessage().contains("item size limit"),
        what + ": the message says what is wrong: " + e.getMessage());
  }
}
