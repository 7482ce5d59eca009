package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.cluster.health.ClusterMXBean;
import io.memjcache.codec.KeyCodec;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import io.memjcache.testkit.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients on different server lists ({@code memjcache.servers}), as in a scale-out or a rolling
 * deploy, place keys on different replicas: the one that comes second refuses every operation,
 * naming both lists, until the clients on the first list are gone, and never brings back what they
 * deleted meanwhile. The clients in use learn that it waits.
 */
@RealMemcached
class ServerListChangeTest {

  private static final Duration LIMIT = Duration.ofSeconds(15);
  private static final int KEYS = 200;

  MemcachedCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aClientOnALongerListRefusesUntilTheClientsOnTheOldListAreGoneAndNeitherWayResurrectsAnything() {
    cluster = MemcachedCluster.start(3);
    List<MemcachedProcess> nodes = cluster.nodes();
    String oldList = nodes.get(0).address() + "," + nodes.get(1).address();
    CacheManager before = manager("lists:old", oldList);
    Cache<Integer, String> old = cache(before);
    for (int i = 0; i < KEYS; i++) {
      old.put(i, "v" + i);
    }

    CacheManager after = manager("lists:new", cluster.servers()); // the scale-out: a third node
    Cache<Integer, String> scaledOut = cache(after);
    CacheException refused = assertThrows(CacheException.class, () -> scaledOut.get(1));
    assertTrue(refused.getMessage().contains("memjcache.servers") && refused.getMessage().contains(oldList),
        refused.getMessage());
    assertThrows(CacheException.class, () -> scaledOut.put(1, "from the new list"));
    ClusterMXBean newCluster = clusterOf(after);
    assertFalse(newCluster.isHealthy());
    assertFalse(newCluster.getServerListConflict().isEmpty());

    // the clients on the old list go on, unaware, and delete meanwhile
    for (int i = 0; i < KEYS; i += 2) {
      old.remove(i);
    }
    assertEquals("v1", old.get(1));
    assertTrue(clusterOf(before).getServerListConflict().isEmpty());
    Waits.until("the old list's client told that a newcomer waits", LIMIT,
        () -> clusterOf(before).getServerListWaiting().equals(cluster.servers()));

    before.close(); // the last client on the old list stops: its record is left unrefreshed
    Waits.until("the new list taken over", LIMIT, () -> newCluster.getServerListConflict().isEmpty());
    for (int i = 0; i < KEYS; i++) {
      String value = scaledOut.get(i);
      if (i % 2 == 0) {
        assertNull(value, "key " + i + " was deleted by a client on the old list");
      } else {
        assertTrue(value == null || value.equals("v" + i), "key " + i + ": " + value);
      }
    }
    scaledOut.put(1, "from the new list");
    assertEquals("from the new list", scaledOut.get(1));
    Waits.until("the copies the old list left dropped", LIMIT, () -> leftovers(newCluster) == 0);

    // and back: deletes made on the longer list stay deleted on the shorter one, whose nodes held
    // copies from before (dropped when the longer list took over, or they would come back)
    for (int i = 1; i < KEYS; i += 2) {
      scaledOut.remove(i);
    }
    CacheManager scaledInManager = manager("lists:back", oldList);
    Cache<Integer, String> scaledIn = cache(scaledInManager);
    assertThrows(CacheException.class, () -> scaledIn.get(1));
    after.close();
    ClusterMXBean backCluster = clusterOf(scaledInManager);
    Waits.until("the shorter list taken over again", LIMIT, () -> backCluster.getServerListConflict().isEmpty());
    for (int i = 0; i < KEYS; i++) {
      assertNull(scaledIn.get(i), "key " + i + " was deleted on the longer list");
    }
  }

  /** Entries on the nodes of a cluster's list that are not home to them under that list. */
  private long leftovers(ClusterMXBean health) {
    long count = 0;
    for (MemcachedProcess node : cluster.nodes()) {
      try {
        for (String line : node.command("lru_crawler metadump all").split("\r?\n")) {
          if (line.startsWith("key=")) {
            String key = URLDecoder.decode(line.substring(4, line.indexOf(' ')), StandardCharsets.UTF_8);
            if (KeyCodec.isEntryKey(key) && !health.replicasOf(key).toString().contains(node.address())) {
              count++;
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return count;
  }

  @Test
  void clientsOnTheSameListInAnyOrderAgree() {
    cluster = MemcachedCluster.start(2);
    List<MemcachedProcess> nodes = cluster.nodes();
    CacheManager first = manager("lists:a", nodes.get(0).address() + "," + nodes.get(1).address());
    CacheManager second = manager("lists:b", nodes.get(0).address() + "," + nodes.get(1).address());
    cache(first).put(1, "one");
    assertEquals("one", cache(second).get(1));
    assertTrue(clusterOf(second).getServerListConflict().isEmpty());
  }

  private CacheManager manager(String uri, String servers) {
    return Clients.manager(cluster, uri, "memjcache.servers", servers, "memjcache.namespace", "shared",
        "memjcache.retryIntervalMillis", "100");
  }

  private static Cache<Integer, String> cache(CacheManager manager) {
    Cache<Integer, String> cache = manager.getCache("c", Integer.class, String.class);
    return cache != null ? cache : manager.createCache("c",
        new MutableConfiguration<Integer, String>().setTypes(Integer.class, String.class));
  }

  private static ClusterMXBean clusterOf(CacheManager manager) {
    return manager.unwrap(MemcachedCacheManager.class).cluster();
  }
}
