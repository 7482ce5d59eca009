package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.processor.LocalTurns;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.RealMemcached;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Threads of one JVM updating one key take turns (processor.LocalTurns) instead of colliding at
 * memcached; and the turns never make nested updates deadlock.
 */
@RealMemcached
class LocalTurnsTest {

  static MemcachedCluster cluster;
  static MemcachedCacheManager manager;
  static Cache<String, Long> counters;

  @BeforeAll
  static void start() {
    cluster = MemcachedCluster.start(3);
    manager = Fixtures.manager(cluster, "turns", "memjcache.copies", "2", "memjcache.operationTimeoutMillis", "5000");
    counters = manager.createCache("counters", new MutableConfiguration<String, Long>());
  }

  @AfterAll
  static void stop() {
    try {
      manager.close();
    } finally {
      cluster.close();
    }
  }

  private static final EntryProcessor<String, Long, Long> INCREMENT = (entry, args) -> {
    long next = (entry.exists() ? entry.getValue() : 0L) + 1;
    entry.setValue(next);
    return next;
  };

  @Test
  void threadsOfOneJvmIncrementingOneKeyNeverLoseACasToEachOther() throws Exception {
    counters.put("hot", 0L);
    long refusedBefore = refusedCas();
    int threads = 16;
    int each = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      CountDownLatch go = new CountDownLatch(1);
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < each; i++) {
            counters.invoke("hot", INCREMENT);
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(threads * each, counters.get("hot"));
    assertEquals(0, refusedCas() - refusedBefore,
        "CAS refused by the servers (cas_badval): threads of one JVM collided on the key");
  }

  @Test
  void entryProcessorsUpdatingEachOthersKeysDoNotDeadlock() throws Exception {
    String x = "left";
    String y = keyOnAnotherStripeThan(x);
    CountDownLatch inX = new CountDownLatch(1);
    CountDownLatch inY = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Long> a = pool.submit(() -> counters.invoke(x, nested(inX, inY, y)));
      Future<Long> b = pool.submit(() -> counters.invoke(y, nested(inY, inX, x)));
      // each holds its key's turn and waits inside for the other's key: without a bound on the
      // wait for a turn, neither would ever return
      assertTrue(a.get(30, TimeUnit.SECONDS) >= 1);
      assertTrue(b.get(30, TimeUnit.SECONDS) >= 1);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Increments its key, and inside, once both are inside, the other key. */
  private static EntryProcessor<String, Long, Long> nested(CountDownLatch mine, CountDownLatch theirs, String other) {
    return (entry, args) -> {
      mine.countDown();
      try {
        assertTrue(theirs.await(10, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      counters.invoke(other, INCREMENT);
      return INCREMENT.process(entry);
    };
  }

  private static String keyOnAnotherStripeThan(String key) {
    int stripe = stripeOf(key);
    for (int i = 0; i < 1000; i++) {
      String candidate = "right-" + i;
      if (stripeOf(candidate) != stripe) {
        return candidate;
      }
    }
    throw new AssertionError("no key on another stripe");
  }

  private static int stripeOf(String key) {
    return LocalTurns.stripe(Fixtures.memcachedKey(manager, "counters", key));
  }

  private static long refusedCas() throws Exception {
    long sum = 0;
    for (Map<String, Long> node : Fixtures.stats(cluster)) {
      sum += node.getOrDefault("cas_badval", 0L);
    }
    return sum;
  }
}
