package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.cluster.Cluster;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.Waits;
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
  void aClientOnALongerListRefusesUntilTheClientsOnTheOldListAreGoneAndResurrectsNothing() {
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
    Cluster newCluster = clusterOf(after);
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

  private static Cluster clusterOf(CacheManager manager) {
    return manager.unwrap(MemcachedCacheManager.class).cluster();
  }
}
