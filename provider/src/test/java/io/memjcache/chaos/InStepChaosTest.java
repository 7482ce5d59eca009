package io.memjcache.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.MemcachedCacheManager;
import io.memjcache.MemcachedCachingProvider;
import io.memjcache.cluster.health.ClusterMXBean;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * DESIGN invariants 3, 4 and 5 under load: two independent clients (separate connections and
 * health views, as two JVMs), several threads each, put / replace / remove / invoke on keys with
 * known expected states, while nodes are killed, hung, emptied. After each scenario every key is
 * read through both clients: nothing acknowledged is lost, nothing stale or deleted comes back, and
 * the shared counters match the acknowledged increments.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@RealMemcached
class InStepChaosTest {

  static final int CLIENTS = 2;
  static final int THREADS_PER_CLIENT = 3;
  static final int KEYS_PER_THREAD = 100;
  static final long LOAD_MILLIS = 1200;

  static MemcachedCluster cluster;
  static final List<Cache<String, Long>> caches = new ArrayList<>();
  static final List<ClusterMXBean> views = new ArrayList<>();
  static final List<KeyLedger[]> ledgers = new ArrayList<>();
  static final AtomicLong counterAcked = new AtomicLong();
  static final AtomicLong counterFailed = new AtomicLong();

  @BeforeAll
  static void start() {
    cluster = MemcachedCluster.start(3);
    for (int c = 0; c < CLIENTS; c++) {
      Properties props = new Properties();
      props.setProperty("memjcache.servers", cluster.servers());
      props.setProperty("memjcache.retryIntervalMillis", "200");
      CacheManager manager = cluster.closeFirst(new MemcachedCachingProvider())
          .getCacheManager(URI.create("chaos:test"), InStepChaosTest.class.getClassLoader(), props);
      caches.add(manager.createCache("chaos",
          new MutableConfiguration<String, Long>().setTypes(String.class, Long.class)));
      views.add(manager.unwrap(MemcachedCacheManager.class).cluster());
    }
    for (int w = 0; w < CLIENTS * THREADS_PER_CLIENT; w++) {
      KeyLedger[] keys = new KeyLedger[KEYS_PER_THREAD];
      for (int k = 0; k < KEYS_PER_THREAD; k++) {
        keys[k] = new KeyLedger();
      }
      ledgers.add(keys);
    }
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  @Order(1)
  void killThePrimaryOfManyKeys() throws Exception {
    MemcachedProcess victim = cluster.node(0);
    run("kill-primary", victim, victim::kill, victim::restartEmpty);
  }

  @Test
  @Order(2)
  void hangANodeLongEnoughToBeMarkedDownThenResumeItWithItsOldData() throws Exception {
    MemcachedProcess victim = cluster.node(1);
    run("hang-resume", victim, victim::hang, victim::resume);
  }

  @Test
  @Order(3)
  void restartANodeEmptyUnderLoad() throws Exception {
    MemcachedProcess victim = cluster.node(2);
    run("restart-empty", victim, victim::restartEmpty, () -> { });
  }

  @Test
  @Order(4)
  void killTheBackupInTheMiddleOfWrites() throws Exception {
    MemcachedProcess victim = cluster.node(1); // the backup of about a third of the keys
    run("kill-backup", victim, victim::kill, victim::restartEmpty);
  }

  @Test
  @Order(5)
  void killASecondNodeAfterTheFirstReturned() throws Exception {
    MemcachedProcess victim = cluster.node(0);
    run("kill-second", victim, victim::kill, victim::restartEmpty);
  }

  /** Runs load, injects a failure mid-way, heals, waits for full replication and verifies. */
  private static void run(String scenario, MemcachedProcess victim, Runnable fail, Runnable heal)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong acked = new AtomicLong();
    List<Thread> workers = startWorkers(stop, acked);
    Thread.sleep(LOAD_MILLIS / 4);
    long failedAt = System.nanoTime();
    fail.run();
    long detectMillis = awaitDown(victim, failedAt);
    Thread.sleep(LOAD_MILLIS / 2);
    long healedAt = System.nanoTime();
    heal.run();
    Thread.sleep(LOAD_MILLIS / 4);
    stop.set(true);
    for (Thread t : workers) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    long restoreMillis = awaitHealthy(healedAt);
    Verification v = verify();
    for (ClusterMXBean view : views) {
      System.out.printf("  client view %s: suspicions=%d down=%d rejoins=%d repaired=%d standIns=%d"
          + " switchesMissed=%d selfSuspicions=%d%n", view.getNodeStates(), view.getSuspicions(),
          view.getNodesMarkedDown(), view.getRejoins(), view.getEntriesRepaired(),
          view.getStandInCopiesDropped(), view.getSwitchesMissed(), view.getSelfSuspicions());
    }
    System.out.printf("scenario=%s acked=%d verified=%d lost=%d stale=%d resurrected=%d counter=%d"
        + " (acked increments %d, failed %d) detect=%dms restore=%dms%n", scenario, acked.get(),
        v.verified, v.lost, v.stale, v.resurrected, v.counter, counterAcked.get(),
        counterFailed.get(), detectMillis, restoreMillis);
    assertEquals(0, v.lost, scenario + ": acknowledged writes lost");
    assertEquals(0, v.stale, scenario + ": stale values");
    assertEquals(0, v.resurrected, scenario + ": deletes undone");
    assertTrue(v.counter >= counterAcked.get() && v.counter <= counterAcked.get() + counterFailed.get(),
        scenario + ": counter " + v.counter + " vs acknowledged increments " + counterAcked.get());
    assertTrue(acked.get() > 1000, scenario + ": the load ran (" + acked.get() + " operations)");
  }

  private static List<Thread> startWorkers(AtomicBoolean stop, AtomicLong acked) {
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < CLIENTS * THREADS_PER_CLIENT; w++) {
      int worker = w;
      Cache<String, Long> cache = caches.get(w % CLIENTS);
      Thread t = new Thread(() -> work(worker, cache, stop, acked), "chaos-worker-" + w);
      t.start();
      threads.add(t);
    }
    return threads;
  }

  /** One worker: its own keys, whose expected state it alone knows, and the shared counter. */
  private static void work(int worker, Cache<String, Long> cache, AtomicBoolean stop, AtomicLong acked) {
    KeyLedger[] keys = ledgers.get(worker);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (long op = 0; !stop.get() && op < 1_000_000; op++) {
      int k = random.nextInt(KEYS_PER_THREAD);
      KeyLedger ledger = keys[k];
      String key = "w" + worker + "-" + k;
      long next = Math.max(Math.max(ledger.acked, ledger.highest()), 0) + 1;
      int dice = random.nextInt(100);
      try {
        if (dice < 10) {
          increment(cache);
          acked.incrementAndGet();
          continue;
        }
        if (dice < 50 || !ledger.certain()) {
          cache.put(key, next);
          ledger.acknowledged(next);
        } else if (dice < 85 && ledger.acked != KeyLedger.ABSENT) {
          if (!cache.replace(key, ledger.acked, next)) {
            throw new AssertionError(key + ": replace found something other than " + ledger.acked);
          }
          ledger.acknowledged(next);
        } else {
          boolean removed = cache.remove(key);
          if (removed != (ledger.acked != KeyLedger.ABSENT)) {
            throw new AssertionError(key + ": remove returned " + removed + ", state " + ledger.acked);
          }
          ledger.acknowledged(KeyLedger.ABSENT);
        }
        acked.incrementAndGet();
      } catch (javax.cache.CacheException e) {
        // not acknowledged: the write may or may not have happened
        ledger.unacknowledged(dice < 85 ? next : KeyLedger.ABSENT);
      }
    }
  }

  private static void increment(Cache<String, Long> cache) {
    try {
      cache.invoke("counter", (entry, args) -> {
        entry.setValue(entry.exists() ? entry.getValue() + 1 : 1L);
        return null;
      });
      counterAcked.incrementAndGet();
    } catch (javax.cache.CacheException e) {
      counterFailed.incrementAndGet();
    }
  }

  private record Verification(long verified, long lost, long stale, long resurrected, long counter) {}

  private static Verification verify() {
    long verified = 0;
    long lost = 0;
    long stale = 0;
    long resurrected = 0;
    for (Cache<String, Long> cache : caches) {
      for (int w = 0; w < ledgers.size(); w++) {
        KeyLedger[] keys = ledgers.get(w);
        for (int k = 0; k < keys.length; k++) {
          Long value = cache.get("w" + w + "-" + k);
          long read = value == null ? KeyLedger.ABSENT : value;
          KeyLedger ledger = keys[k];
          if (ledger.accepts(read)) {
            verified++;
          } else if (ledger.acked == KeyLedger.ABSENT) {
            resurrected++;
          } else if (read == KeyLedger.ABSENT) {
            lost++;
          } else {
            stale++;
          }
        }
      }
    }
    Long counter = caches.get(0).get("counter");
    return new Verification(verified, lost, stale, resurrected, counter == null ? 0 : counter);
  }

  /** Milliseconds from the failure until some client marks the victim down (-1: never needed). */
  private static long awaitDown(MemcachedProcess victim, long since) throws InterruptedException {
    String address = victim.address();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      for (ClusterMXBean view : views) {
        if ("DOWN".equals(view.getNodeStates().get(address))) {
          return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
        }
      }
      Thread.sleep(1);
    }
    return -1;
  }

  /** Milliseconds from the heal until every client sees every node UP again. */
  private static long awaitHealthy(long since) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!views.stream().allMatch(ClusterMXBean::isHealthy)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("replication not restored: " + views);
      }
      Thread.sleep(5);
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
  }
}
