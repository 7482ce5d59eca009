package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.RealMemcached;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DESIGN invariant 5: conditional operations are atomic per key across JVMs. Several threads on each
 * of two provider instances (separate connections, like two JVMs) race on the same few keys; every
 * successful conditional write must be accounted for exactly once.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@RealMemcached
class CrossClientAtomicityTest {

  static final int THREADS_PER_CLIENT = 4;
  static final int THREADS = 2 * THREADS_PER_CLIENT;
  static final int ITERATIONS = 120;
  static final int ROUNDS = 40;

  static MemcachedCluster cluster;
  static final List<CacheManager> managers = new ArrayList<>();
  /** One cache per provider instance, same URI and name: the same entries. */
  static final List<Cache<String, Long>> clients = new ArrayList<>();

  static final AtomicInteger keySpace = new AtomicInteger();

  @BeforeAll
  static void start() {
    cluster = MemcachedCluster.start(3);
    for (int i = 0; i < 2; i++) {
      CacheManager manager = Fixtures.manager(cluster, "atomicity:shared");
      managers.add(manager);
      clients.add(manager.createCache("counters",
          new MutableConfiguration<String, Long>().setTypes(String.class, Long.class)));
    }
  }

  @AfterAll
  static void stop() {
    try {
      managers.forEach(CacheManager::close);
    } finally {
      cluster.close();
    }
  }

  /** Increments the counter and returns the new value; the entry is created at 1. */
  static final EntryProcessor<String, Long, Long> INCREMENT = (entry, args) -> {
    long next = entry.exists() ? entry.getValue() + 1 : 1L;
    entry.setValue(next);
    return next;
  };

  @Test
  void invokeIncrementsOnAFewHotKeysLoseNoUpdateAndSeeEveryValueOnce() throws Exception {
    List<String> keys = freshKeys(3);
    Map<String, Set<Long>> seen = new ConcurrentHashMap<>();
    keys.forEach(k -> seen.put(k, ConcurrentHashMap.newKeySet()));
    Map<String, AtomicLong> done = counters(keys);

    race((cache, thread) -> {
      for (int i = 0; i < ITERATIONS; i++) {
        String key = keys.get((i + thread) % keys.size());
        Long result = cache.invoke(key, INCREMENT);
        done.get(key).incrementAndGet();
        // two increments that read the same old value would return the same new value
        assertTrue(seen.get(key).add(result), "two invocations both produced " + result + " on " + key);
      }
    });

    for (String key : keys) {
      long n = done.get(key).get();
      assertEquals(n, clients.get(0).get(key), "final counter of " + key + " == increments made");
      assertEquals(n, clients.get(1).get(key), "the other client reads the same counter");
      assertEquals(LongStream.rangeClosed(1, n).boxed().collect(Collectors.toSet()), seen.get(key),
          "the increments of " + key + " produced 1..n, each exactly once");
    }
  }

  @Test
  void replaceOldWithOldPlusOneCountsEverySuccessExactlyOnce() throws Exception {
    List<String> keys = freshKeys(2);
    keys.forEach(k -> clients.get(0).put(k, 0L));
    Map<String, Set<Long>> replacedFrom = new ConcurrentHashMap<>();
    keys.forEach(k -> replacedFrom.put(k, ConcurrentHashMap.newKeySet()));
    Map<String, AtomicLong> wins = counters(keys);

    race((cache, thread) -> {
      for (int i = 0; i < ITERATIONS; i++) {
        String key = keys.get((i + thread) % keys.size());
        Long current = cache.get(key);
        if (cache.replace(key, current, current + 1)) {
          wins.get(key).incrementAndGet();
          assertTrue(replacedFrom.get(key).add(current), "two replaces of " + key + " both won from " + current);
        }
      }
    });

    long totalWins = 0;
    for (String key : keys) {
      long n = wins.get(key).get();
      totalWins += n;
      assertTrue(n > 0, "some replace of " + key + " succeeded");
      assertEquals(n, clients.get(1).get(key), "final counter of " + key + " == successful replaces");
    }
    assertTrue(totalWins < (long) THREADS * ITERATIONS,
        "some replaces lost a race (" + totalWins + " of " + THREADS * ITERATIONS + " won): the threads really competed");
  }

  @Test
  void invokeAndReplaceMixedOnTheSameKeysLoseNoUpdate() throws Exception {
    List<String> keys = freshKeys(2);
    keys.forEach(k -> clients.get(1).put(k, 0L));
    Map<String, AtomicLong> increments = counters(keys);

    race((cache, thread) -> {
      for (int i = 0; i < ITERATIONS; i++) {
        String key = keys.get((i + thread) % keys.size());
        if (thread % 2 == 0) {
          cache.invoke(key, INCREMENT);
          increments.get(key).incrementAndGet();
        } else {
          Long current = cache.get(key);
          if (cache.replace(key, current, current + 1)) {
            increments.get(key).incrementAndGet();
          }
        }
      }
    });

    for (String key : keys) {
      assertEquals(increments.get(key).get(), clients.get(0).get(key), key);
    }
  }

  @Test
  void putIfAbsentHasExactlyOneWinnerPerKeyAndKeepsTheWinnersValue() throws Exception {
    List<String> keys = freshKeys(ROUNDS);
    Map<String, List<Long>> winners = new ConcurrentHashMap<>();
    CyclicBarrier barrier = new CyclicBarrier(THREADS);

    race((cache, thread) -> {
      for (String key : keys) {
        barrier.await(30, TimeUnit.SECONDS); // everybody starts on the key together
        if (cache.putIfAbsent(key, (long) thread)) {
          winners.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add((long) thread);
        }
      }
    });

    for (String key : keys) {
      List<Long> won = winners.getOrDefault(key, List.of());
      assertEquals(1, won.size(), "putIfAbsent winners of " + key + ": " + won);
      assertEquals(won.get(0), clients.get(0).get(key), "the value is the winner's");
      assertEquals(won.get(0), clients.get(1).get(key), "on both clients");
    }
  }

  @Test
  void conditionalRemoveHasExactlyOneWinnerPerKey() throws Exception {
    List<String> keys = freshKeys(ROUNDS);
    keys.forEach(k -> clients.get(0).put(k, 7L));
    Map<String, AtomicLong> removed = counters(keys);
    CyclicBarrier barrier = new CyclicBarrier(THREADS);

    race((cache, thread) -> {
      for (String key : keys) {
        barrier.await(30, TimeUnit.SECONDS);
        if (cache.remove(key, 7L)) {
          removed.get(key).incrementAndGet();
        }
      }
    });

    for (String key : keys) {
      assertEquals(1, removed.get(key).get(), "remove(k, v) returned true exactly once for " + key);
      assertFalse(clients.get(0).containsKey(key));
      assertFalse(clients.get(1).containsKey(key));
    }
  }

  @Test
  void getAndRemoveHandsTheValueToExactlyOneCaller() throws Exception {
    List<String> keys = freshKeys(ROUNDS);
    keys.forEach(k -> clients.get(1).put(k, 11L));
    Map<String, AtomicLong> got = counters(keys);
    CyclicBarrier barrier = new CyclicBarrier(THREADS);

    race((cache, thread) -> {
      for (String key : keys) {
        barrier.await(30, TimeUnit.SECONDS);
        Long old = cache.getAndRemove(key);
        if (old != null) {
          assertEquals(11L, old);
          got.get(key).incrementAndGet();
        }
      }
    });

    for (String key : keys) {
      assertEquals(1, got.get(key).get(), "getAndRemove returned the value exactly once for " + key);
      assertNull(clients.get(0).get(key));
    }
  }

  @Test
  void replaceFromTheSameOldValueHasExactlyOneWinner() throws Exception {
    List<String> keys = freshKeys(ROUNDS);
    keys.forEach(k -> clients.get(0).put(k, -1L));
    Map<String, List<Long>> winners = new ConcurrentHashMap<>();
    CyclicBarrier barrier = new CyclicBarrier(THREADS);

    race((cache, thread) -> {
      for (String key : keys) {
        barrier.await(30, TimeUnit.SECONDS);
        if (cache.replace(key, -1L, (long) thread)) {
          winners.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add((long) thread);
        }
      }
    });

    for (String key : keys) {
      List<Long> won = winners.getOrDefault(key, List.of());
      assertEquals(1, won.size(), "replace(k, -1, id) winners of " + key + ": " + won);
      assertEquals(won.get(0), clients.get(1).get(key));
    }
  }

  // ------------------------------------------------------------------ helpers

  private interface Work {
    void run(Cache<String, Long> cache, int thread) throws Exception;
  }

  /** Runs {@code work} on THREADS_PER_CLIENT threads per client; rethrows the first failure. */
  private static void race(Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Cache<String, Long> cache = clients.get(t % 2);
        int thread = t;
        futures.add(pool.submit(() -> {
          work.run(cache, thread);
          return null;
        }));
      }
      for (Future<?> f : futures) {
        try {
          f.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof Error error) {
            throw error; // an assertion inside a racing thread
          }
          throw e;
        }
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static List<String> freshKeys(int n) {
    int space = keySpace.incrementAndGet();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add("space" + space + "-key" + i);
    }
    assertEquals(n, new HashSet<>(keys).size());
    return keys;
  }

  private static Map<String, AtomicLong> counters(List<String> keys) {
    Map<String, AtomicLong> m = new ConcurrentHashMap<>();
    keys.forEach(k -> m.put(k, new AtomicLong()));
    return m;
  }
}
