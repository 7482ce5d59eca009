package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.RealMemcached;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN invariant 5: conditional operations are atomic per key across clients. Threads of two
 * provider instances (separate connections, as two JVMs would have) race on the same keys.
 */
@RealMemcached
class ConditionalRaceTest {

  static final int THREADS_PER_CLIENT = 4;
  static final int ROUNDS = 200;

  static MemcachedCluster cluster;
  static List<Cache<String, Long>> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    cluster = MemcachedCluster.start(3);
    for (int i = 0; i < 2; i++) {
      CacheManager manager = Clients.manager(cluster, "race:test");
      clients.add(manager.createCache("counters",
          new MutableConfiguration<String, Long>().setTypes(String.class, Long.class)));
    }
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void invokeIncrementsFromTwoClientsLoseNoUpdate() throws Exception {
    List<Long> done = race(cache -> {
      long n = 0;
      for (int i = 0; i < ROUNDS; i++) {
        cache.invoke("invoke-counter", (entry, args) -> {
          entry.setValue(entry.exists() ? entry.getValue() + 1 : 1L);
          return null;
        });
        n++;
      }
      return n;
    });
    assertEquals(sum(done), clients.get(0).get("invoke-counter"));
  }

  @Test
  void replaceOldWithNewFromTwoClientsLosesNoUpdate() throws Exception {
    clients.get(0).put("replace-counter", 0L);
    List<Long> wins = race(cache -> {
      long won = 0;
      for (int i = 0; i < ROUNDS; i++) {
        Long current = cache.get("replace-counter");
        if (cache.replace("replace-counter", current, current + 1)) {
          won++;
        }
      }
      return won;
    });
    assertEquals(sum(wins), clients.get(1).get("replace-counter"),
        "every successful replace(k, old, old + 1) is counted exactly once");
  }

  @Test
  void putIfAbsentAndConditionalRemoveHaveExactlyOneWinnerPerKey() throws Exception {
    List<Long> created = race(cache -> {
      long won = 0;
      for (int i = 0; i < ROUNDS; i++) {
        if (cache.putIfAbsent("once-" + i, 7L)) {
          won++;
        }
      }
      return won;
    });
    assertEquals(ROUNDS, sum(created));
    List<Long> removed = race(cache -> {
      long won = 0;
      for (int i = 0; i < ROUNDS; i++) {
        if (cache.remove("once-" + i, 7L)) {
          won++;
        }
      }
      return won;
    });
    assertEquals(ROUNDS, sum(removed));
  }

  @Test
  void getAndPutHandsEachOldValueToExactlyOneCaller() throws Exception {
    clients.get(0).put("swap", -1L);
    java.util.Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
    race(cache -> {
      for (int i = 0; i < ROUNDS / 4; i++) {
        Long old = cache.getAndPut("swap", next.getAndIncrement());
        if (!seen.add(old)) {
          throw new AssertionError("old value " + old + " returned twice");
        }
      }
      return 0L;
    });
    seen.add(clients.get(0).get("swap"));
    assertEquals(next.get() + 1, seen.size(), "every value written was seen exactly once");
  }

  private interface Work {
    long run(Cache<String, Long> cache) throws Exception;
  }

  private static List<Long> race(Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_CLIENT);
    try {
      List<Future<Long>> futures = new ArrayList<>();
      for (Cache<String, Long> cache : clients) {
        for (int t = 0; t < THREADS_PER_CLIENT; t++) {
          Callable<Long> task = () -> work.run(cache);
          futures.add(pool.submit(task));
        }
      }
      List<Long> results = new ArrayList<>();
      for (Future<Long> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static long sum(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).sum();
  }
}
