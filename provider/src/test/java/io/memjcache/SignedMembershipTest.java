package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.cluster.health.ClusterMXBean;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import io.memjcache.testkit.Waits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With a secret, the membership marks the clients keep on the nodes are signed: a mark anyone else
 * writes (here a plausible one claiming a new, already repaired life, which would keep the node's
 * old contents in use unflushed) is not obeyed, but counted, logged and replaced.
 */
@RealMemcached
class SignedMembershipTest {

  private static final Duration LIMIT = Duration.ofSeconds(15);

  private static final String SECRET = Base64.getEncoder()
      .encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  private static final int KEYS = 200;

  private MemcachedCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void anUnsignedMarkIsNotObeyedButReplacedByASignedOne() throws Exception {
    cluster = MemcachedCluster.start(3);
    CacheManager manager = Clients.manager(cluster, "marks:signed", "memjcache.secret", SECRET,
        "memjcache.retryIntervalMillis", "100");
    Cache<Integer, String> cache = manager.createCache("c",
        new MutableConfiguration<Integer, String>().setTypes(Integer.class, String.class));
    ClusterMXBean health = manager.unwrap(MemcachedCacheManager.class).cluster();
    for (int i = 0; i < KEYS; i++) {
      cache.put(i, "v" + i);
    }
    MemcachedProcess node = cluster.node(0);
    assertTrue(markOn(node).contains(" sig="), "marks are signed: " + markOn(node));

    String forged = "memjcache-membership-v2 42 " + System.currentTimeMillis() + " 1";
    assertEquals("STORED\r\n", node.command("set memjcache:membership 0 0 " + forged.length() + "\r\n" + forged));
    Waits.until("the unsigned mark rejected", LIMIT, () -> health.getMarksRejected() > 0);
    Waits.until("the node flushed, marked anew (signed) and repaired", LIMIT,
        () -> markOn(node).contains(" sig=") && health.isFullyReplicated());
    assertFalse(markOn(node).contains("v2 42 "), "the forged life was never adopted");
    for (int i = 0; i < KEYS; i++) {
      assertEquals("v" + i, cache.get(i), "key " + i);
    }
  }

  private static String markOn(MemcachedProcess node) {
    try {
      return node.command("get memjcache:membership");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

}
