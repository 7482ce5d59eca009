package io.memjcache.chaos;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.MemcachedCacheManager;
import io.memjcache.MemcachedCachingProvider;
import io.memjcache.StoredKeys;
import io.memjcache.cluster.Cluster;
import io.memjcache.cluster.KetamaRing;
import io.memjcache.cluster.ServerAddress;
import io.memjcache.cluster.StoredItem;
import io.memjcache.cluster.health.ClusterMXBean;
import io.memjcache.codec.Envelope;
import io.memjcache.codec.EnvelopeCodec;
import io.memjcache.codec.KryoSerializer;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link InStepChaosTest} with clients whose probes run out of step, as independent JVMs' would: one
 * of them always finds a returning node first and flushes it while the other still has it down. The
 * node's membership mark makes both start routing to it at the same switch time; before it existed,
 * this suite lost increments and read stale values in 3 of its 5 scenarios.
 *
 * <p>DESIGN invariants 3 (no acknowledged write lost), 4 (no stale read after a node returns) and 5
 * (atomic conditional operations across clients, also during failures), under concurrent load.
 *
 * <p>Two provider instances (independent connections and health views: two client JVMs) share one
 * cache on a 3-node cluster with {@code copies=2} and the default timeouts (500 ms operation timeout,
 * 1000 ms retry interval). Each of their 4+4 worker threads owns 250 keys, so the expected state of
 * every key is known: it puts, replaces (or puts-if-absent) and removes them, recording each key's
 * last acknowledged state; an operation that throws leaves the key "old or attempted" until its next
 * acknowledged operation. All workers of both clients also increment shared counters with
 * {@code invoke}. Two reader threads (one per client) read recently written keys all along and flag
 * any read older than the state acknowledged before the read began.
 *
 * <p>Each scenario starts two fresh clients (the second half a retry interval after the first, as two
 * independently started JVMs' probe schedules would be), starts the load, injects the failure, keeps
 * the load running, heals, keeps the load running through the readmission, stops it, waits until both
 * clients report full replication, then reads every key through both clients and audits what each
 * memcached node physically holds. It prints one summary line ({@code verified} counts reads: every
 * key through each client) and a detail block: per-client detection, readmission and restore times,
 * how long the clients disagreed about the node, counter bounds, the stale-read watch, the replica
 * audit, and samples of whatever went wrong with each key's recent history.
 *
 * <p>Asserted per scenario: nothing lost, stale or resurrected at the end; no operation during the
 * load contradicted its key's acknowledged state (a refused replace/putIfAbsent, a remove that found a
 * deleted key); every counter within [acknowledged, acknowledged + failed] increments; no stale read
 * during the load; both ring replicas of every entry hold its current value once full replication is
 * reported. {@link ReplicationRaceTest} holds minimal reproductions of what this test found.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@RealMemcached
class OutOfStepChaosTest {

  static final URI MANAGER_URI = URI.create("chaos:test");
  static final String CACHE_NAME = "chaos";
  static final ClassLoader LOADER = OutOfStepChaosTest.class.getClassLoader();

  static final int NODES = 3;
  static final int COPIES = 2;
  static final int PROVIDERS = 2;
  static final int THREADS_PER_PROVIDER = 4;
  static final int WORKERS = PROVIDERS * THREADS_PER_PROVIDER;
  static final int KEYS_PER_WORKER = 250;
  static final int KEYS = WORKERS * KEYS_PER_WORKER;
  static final int COUNTERS_PER_NODE = 2;
  static final long OPERATION_TIMEOUT_MS = 500;
  static final long RETRY_INTERVAL_MS = 1000;
  static final long CLIENT_START_OFFSET_MS = RETRY_INTERVAL_MS / 2;

  static final long WARMUP_MS = 400;
  static final long OUTAGE_MS = 1500; // > operation timeout: a hung node is marked down
  static final long AFTER_HEAL_MS = 2500; // > retry interval + repair: readmission happens under load
  static final long HEALTHY_DEADLINE_MS = 20_000;
  static final long MAX_OPS_PER_WORKER = 2_000_000;
  static final int RECENT = 4096;
  static final int SAMPLES = 8;

  static final EntryProcessor<String, Long, Void> INCREMENT = (entry, args) -> {
    entry.setValue(entry.exists() ? entry.getValue() + 1 : 1L);
    return null;
  };

  /** One client JVM: its own provider, connections and view of the cluster's health. */
  record Client(String name, MemcachedCachingProvider provider, CacheManager manager,
      Cache<String, Long> cache, ClusterMXBean view) {}

  static MemcachedCluster cluster;
  static final List<Client> clients = new ArrayList<>();
  static final String[] keys = new String[KEYS];
  static final String[] memcachedKeys = new String[KEYS];
  static final KeyHistory[] ledgers = new KeyHistory[KEYS];
  static final List<String> counters = new ArrayList<>();
  static final List<String> counterMemcachedKeys = new ArrayList<>();
  /** memcached key -> its replicas when every node is up, first one first. */
  static final Map<String, List<String>> ringReplicas = new HashMap<>();
  static final KryoSerializer serializer = new KryoSerializer(LOADER);
  static final List<String> summaries = Collections.synchronizedList(new ArrayList<>());
  static final List<Logger> quietLoggers = new ArrayList<>(); // strong references keep the levels
  static long suiteStart;

  // ------------------------------------------------------------------ lifecycle

  @BeforeAll
  static void start() {
    suiteStart = System.nanoTime();
    for (String name : List.of("net.spy", "io.memjcache")) {
      Logger logger = Logger.getLogger(name);
      logger.setLevel(Level.SEVERE); // every failover logs; the summary lines say what happened
      quietLoggers.add(logger);
    }
    cluster = MemcachedCluster.start(NODES);
    openClients();
    Cache<String, Long> names = clients.get(0).cache();
    KetamaRing ring = ((Cluster) clients.get(0).view()).ring(); // the internal view behind the health one
    for (int id = 0; id < KEYS; id++) {
      keys[id] = "w" + (id / KEYS_PER_WORKER) + "-k" + (id % KEYS_PER_WORKER);
      memcachedKeys[id] = StoredKeys.memcachedKey(names, keys[id]);
      ringReplicas.put(memcachedKeys[id], replicasOnRing(ring, memcachedKeys[id]));
      ledgers[id] = new KeyHistory();
    }
    // shared counters: COUNTERS_PER_NODE whose primary is each node, so every victim leads some
    for (MemcachedProcess node : cluster.nodes()) {
      int found = 0;
      for (int n = 0; found < COUNTERS_PER_NODE; n++) {
        String name = "counter-" + n;
        String mkey = StoredKeys.memcachedKey(names, name);
        if (!counters.contains(name) && replicasOnRing(ring, mkey).get(0).equals(node.address())) {
          counters.add(name);
          counterMemcachedKeys.add(mkey);
          ringReplicas.put(mkey, replicasOnRing(ring, mkey));
          found++;
        }
      }
    }
    // every key starts present with value 1, written by its owner's client
    for (int id = 0; id < KEYS; id++) {
      KeyHistory ledger = ledgers[id];
      long value = ledger.nextValue();
      ledger.begin(value);
      ownerOf(id).cache().put(keys[id], value);
      ledger.acknowledged(value);
    }
    System.out.printf("chaos setup: %s, copies=%d, clients=%d x %d threads, %d keys, counters=%s%n",
        cluster, COPIES, PROVIDERS, THREADS_PER_PROVIDER, KEYS, counters);
  }

  /**
   * Starts the two clients. Two JVMs do not start in the same millisecond, and each probes a node
   * marked down every retry interval counted from its own start: the second client starts half an
   * interval after the first, as the average pair of independently started JVMs would (started
   * together, their probes would run in step and hide what happens between two readmissions).
   */
  static void openClients() {
    for (int p = 0; p < PROVIDERS; p++) {
      if (p > 0) {
        pauseQuietly(CLIENT_START_OFFSET_MS);
      }
      Properties props = new Properties();
      props.setProperty("memjcache.servers", cluster.servers());
      props.setProperty("memjcache.copies", Integer.toString(COPIES));
      props.setProperty("memjcache.operationTimeoutMillis", Long.toString(OPERATION_TIMEOUT_MS));
      props.setProperty("memjcache.retryIntervalMillis", Long.toString(RETRY_INTERVAL_MS));
      MemcachedCachingProvider provider = new MemcachedCachingProvider();
      CacheManager manager = provider.getCacheManager(MANAGER_URI, LOADER, props);
      Cache<String, Long> cache = manager.createCache(CACHE_NAME,
          new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
      clients.add(new Client(Character.toString('A' + p), provider, manager, cache,
          manager.unwrap(MemcachedCacheManager.class).cluster()));
    }
  }

  static void closeClients() {
    for (Client client : clients) {
      try {
        client.provider().close();
      } catch (RuntimeException e) {
        System.out.println("closing client " + client.name() + ": " + e);
      }
    }
    clients.clear();
  }

  @AfterAll
  @SuppressWarnings("try") // the cluster is only closed, after the clients and also if they fail
  static void stop() {
    try (MemcachedCluster stopping = cluster) {
      closeClients();
    } finally {
      System.out.println("chaos summary:");
      summaries.forEach(s -> System.out.println("  " + s));
      System.out.printf("chaos suite time: %d ms%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - suiteStart));
    }
  }

  /**
   * Every scenario starts from a whole, healthy cluster, whatever the previous one left, and with
   * two freshly started clients (whose probe schedules are offset as independent JVMs' would be).
   */
  @BeforeEach
  void wholeClusterAndFreshClients() throws InterruptedException {
    for (MemcachedProcess node : cluster.nodes()) {
      if (!node.isAlive()) {
        node.restartEmpty();
      } else {
        node.resume(); // harmless if it was not hung
      }
    }
    awaitHealthy("before the scenario");
    closeClients();
    openClients();
    awaitHealthy("before the scenario");
  }

  // ------------------------------------------------------------------ scenarios

  @Test
  @Order(1)
  void killThePrimaryOfManyKeysThenRestartItEmpty() throws Exception {
    MemcachedProcess victim = byPrimaries().get(0);
    scenario("kill-primary", new Phase(victim, victim::kill, OUTAGE_MS, victim::restartEmpty));
  }

  @Test
  @Order(2)
  void hangANodePastTheTimeoutThenResumeItWithItsOldData() throws Exception {
    MemcachedProcess victim = byPrimaries().get(1);
    scenario("hang-resume", new Phase(victim, victim::hang, OUTAGE_MS, victim::resume));
  }

  @Test
  @Order(3)
  void restartANodeEmptyUnderLoad() throws Exception {
    MemcachedProcess victim = byPrimaries().get(2);
    scenario("restart-empty", new Phase(victim, victim::kill, 0, victim::restartEmpty));
  }

  @Test
  @Order(4)
  void killTheBackupOfManyKeysMidWritesThenRestartIt() throws Exception {
    MemcachedProcess victim = byBackups().get(0);
    scenario("kill-backup", new Phase(victim, victim::kill, OUTAGE_MS, victim::restartEmpty));
  }

  @Test
  @Order(5)
  void killASecondNodeAfterTheFirstReturnedAndReplicationWasRestored() throws Exception {
    MemcachedProcess first = byPrimaries().get(0);
    MemcachedProcess second = byBackups().stream().filter(n -> n != first).findFirst().orElseThrow();
    scenario("kill-second",
        new Phase(first, first::kill, OUTAGE_MS, first::restartEmpty),
        new Phase(second, second::kill, OUTAGE_MS, second::restartEmpty));
  }

  // ------------------------------------------------------------------ the scenario driver

  /** One failure: how to inflict it on a node, how long it lasts under load, how it heals. */
  record Phase(MemcachedProcess victim, Runnable fail, long outageMs, Runnable heal) {}

  /** What the watcher saw during one phase. */
  record PhaseTimes(String victim, long detectMs, long[] detectPerClient, long[] readmitPerClient,
      long[] upPerClient, long restoreMs, long disagreeMs) {}

  /**
   * Runs the phases one after another under one continuous load; between phases the cluster must be
   * whole again (both clients healthy) while the load keeps running.
   */
  private static void scenario(String name, Phase... phases) throws Exception {
    long[] counterBaseline = readCounters(clients.get(0));
    Load load = new Load();
    load.start();
    List<PhaseTimes> times = new ArrayList<>();
    try {
      pause(WARMUP_MS);
      for (int i = 0; i < phases.length; i++) {
        Phase phase = phases[i];
        try (Watch watch = new Watch(phase.victim().address())) {
          long failedAt = System.nanoTime();
          phase.fail().run();
          pause(phase.outageMs());
          long healedAt = System.nanoTime();
          phase.heal().run();
          load.healedAt = healedAt;
          pause(AFTER_HEAL_MS);
          if (i == phases.length - 1) {
            load.stop();
          }
          awaitHealthy(name);
          watch.stop();
          times.add(watch.times(failedAt, healedAt));
        }
        if (i < phases.length - 1) {
          pause(WARMUP_MS);
        }
      }
    } finally {
      load.stop();
    }
    Verification v = verify();
    CounterCheck counts = checkCounters(load, counterBaseline);
    Audit audit = audit();
    report(name, load, times, v, counts, audit);

    ReaderStats stale = load.readerTotals();
    List<Executable> checks = new ArrayList<>();
    checks.add(() -> assertEquals(0, v.lost, name + ": acknowledged values lost " + v.samples));
    checks.add(() -> assertEquals(0, v.stale, name + ": values older than the acknowledged one " + v.samples));
    checks.add(() -> assertEquals(0, v.resurrected, name + ": acknowledged deletes undone " + v.samples));
    checks.add(() -> assertEquals(0, v.unexpected, name + ": values never written " + v.samples));
    checks.add(() -> assertEquals(0, v.readErrors, name + ": reads failed on a healthy cluster"));
    checks.add(() -> assertEquals(0, v.clientsDisagree, name + ": the two clients read different values " + v.samples));
    checks.add(() -> assertEquals(0, load.anomalies.get(),
        name + ": an operation contradicted its key's acknowledged state " + load.anomalySamples));
    checks.add(() -> assertTrue(counts.violations.isEmpty(),
        name + ": counters outside [acknowledged, acknowledged + failed] increments: " + counts.violations));
    checks.add(() -> assertEquals(0, load.unexpectedErrors.sum(),
        name + ": operations failed with something other than a CacheException " + load.errors));
    checks.add(() -> assertEquals(0, audit.replicaMissing,
        name + ": entries missing from a replica after full replication was reported " + audit.samples));
    checks.add(() -> assertEquals(0, audit.replicaStale,
        name + ": replicas holding an old or deleted value after full replication was reported " + audit.samples));
    checks.add(() -> assertEquals(0, stale.stale.get() + stale.resurrected.get() + stale.missing.get(),
        name + ": stale reads during the scenario (a client served a value older than one"
            + " acknowledged before the read began) " + stale.samples));
    checks.add(() -> assertTrue(load.acked.get() > 2000, name + ": the load ran (" + load.acked.get() + ")"));
    assertAll(name, checks);
  }

  // ------------------------------------------------------------------ load

  /** Workers (each owning its keys) and readers on both clients, until stopped. */
  static final class Load {

    final AtomicBoolean stopped = new AtomicBoolean();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong anomalies = new AtomicLong();
    final AtomicLong anomaliesResurrected = new AtomicLong(); // a deleted key found present
    final AtomicLong anomaliesLost = new AtomicLong(); // an acknowledged value found absent or older
    final List<String> anomalySamples = Collections.synchronizedList(new ArrayList<>());
    final AtomicLongArray counterAcked = new AtomicLongArray(counters.size());
    final AtomicLongArray counterFailed = new AtomicLongArray(counters.size());
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final LongAdder unexpectedErrors = new LongAdder();
    final AtomicIntegerArray recent = new AtomicIntegerArray(RECENT);
    final AtomicLong recentCursor = new AtomicLong();
    final ReaderStats[] readers = new ReaderStats[PROVIDERS];
    final List<Thread> threads = new ArrayList<>();
    final long startedAt = System.nanoTime();
    volatile long healedAt;

    void start() {
      for (int w = 0; w < WORKERS; w++) {
        int worker = w;
        threads.add(new Thread(() -> work(worker), "chaos-worker-" + w));
      }
      for (int p = 0; p < PROVIDERS; p++) {
        int client = p;
        readers[p] = new ReaderStats();
        threads.add(new Thread(() -> read(client), "chaos-reader-" + p));
      }
      threads.forEach(Thread::start);
    }

    void stop() throws InterruptedException {
      stopped.set(true);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      for (Thread t : threads) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        if (t.isAlive()) {
          throw new AssertionError(t.getName() + " did not stop: an operation hangs");
        }
      }
    }

    private void work(int worker) {
      Cache<String, Long> cache = clients.get(worker / THREADS_PER_PROVIDER).cache();
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (long op = 0; !stopped.get() && op < MAX_OPS_PER_WORKER; op++) {
        int dice = random.nextInt(100);
        if (dice < 10) {
          increment(cache, random.nextInt(counters.size()));
          continue;
        }
        int id = worker * KEYS_PER_WORKER + random.nextInt(KEYS_PER_WORKER);
        KeyHistory ledger = ledgers[id];
        String key = keys[id];
        long before = ledger.acked();
        long next = ledger.nextValue();
        // a key in doubt is only put: its old value is unknown, so conditional operations cannot be judged
        char kind = !ledger.certain() || dice < 45 ? 'P' : dice < 88 ? 'R' : 'D';
        long attempted = kind == 'D' ? KeyHistory.ABSENT : next;
        ledger.begin(attempted);
        try {
          switch (kind) {
            case 'P' -> cache.put(key, next);
            case 'R' -> {
              boolean done = before == KeyHistory.ABSENT
                  ? cache.putIfAbsent(key, next) : cache.replace(key, before, next);
              if (!done) {
                contradiction(ledger, key, before == KeyHistory.ABSENT,
                    (before == KeyHistory.ABSENT ? "putIfAbsent" : "replace(" + before + ")")
                        + " refused though the acknowledged state allows it");
                continue;
              }
            }
            default -> {
              boolean removed = cache.remove(key);
              if (removed != (before != KeyHistory.ABSENT)) {
                contradiction(ledger, key, removed, "remove returned " + removed
                    + " with acknowledged state " + before);
                continue;
              }
            }
          }
          ledger.acknowledged(attempted);
          ledger.note(opName(kind, before, next) + " ok " + sinceHeal());
          acked.incrementAndGet();
          recent.set((int) (recentCursor.getAndIncrement() % RECENT), id);
        } catch (CacheException e) {
          failed.incrementAndGet();
          error(e);
          ledger.unacknowledged(attempted);
          ledger.note(opName(kind, before, next) + " threw " + sinceHeal());
        } catch (RuntimeException e) {
          unexpectedErrors.increment();
          error(e);
          ledger.unacknowledged(attempted);
          ledger.note(opName(kind, before, next) + " threw " + e + " " + sinceHeal());
        }
      }
    }

    private static String opName(char kind, long before, long next) {
      return switch (kind) {
        case 'P' -> "put " + next;
        case 'R' -> before == KeyHistory.ABSENT ? "putIfAbsent " + next : "replace " + before + "->" + next;
        default -> "remove";
      };
    }

    private void contradiction(KeyHistory ledger, String key, boolean resurrected, String what) {
      ledger.contradicted();
      ledger.note("CONTRADICTED: " + what + " " + sinceHeal());
      (resurrected ? anomaliesResurrected : anomaliesLost).incrementAndGet();
      if (anomalies.incrementAndGet() <= SAMPLES) {
        anomalySamples.add(key + ": " + what + " at " + sinceHeal() + " (now " + readEverywhere(key) + ")");
      }
    }

    private void increment(Cache<String, Long> cache, int counter) {
      try {
        cache.invoke(counters.get(counter), INCREMENT);
        counterAcked.incrementAndGet(counter);
      } catch (CacheException e) {
        counterFailed.incrementAndGet(counter);
        error(e);
      } catch (RuntimeException e) {
        counterFailed.incrementAndGet(counter);
        unexpectedErrors.increment();
        error(e);
      }
    }

    private void error(RuntimeException e) {
      errors.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
    }

    /** Reads recently written keys of every worker and flags reads older than acknowledged. */
    private void read(int client) {
      Cache<String, Long> cache = clients.get(client).cache();
      ReaderStats stats = readers[client];
      ThreadLocalRandom random = ThreadLocalRandom.current();
      while (!stopped.get()) {
        long cursor = recentCursor.get();
        if (cursor == 0) {
          LockSupport.parkNanos(100_000);
          continue;
        }
        long position = cursor - 1 - random.nextInt((int) Math.min(cursor, 64));
        int id = recent.get((int) (position % RECENT));
        KeyHistory.Snapshot before = ledgers[id].snapshot();
        long read;
        try {
          Long value = cache.get(keys[id]);
          read = value == null ? KeyHistory.ABSENT : value;
        } catch (CacheException e) {
          stats.errors.increment();
          continue;
        }
        KeyHistory.Snapshot after = ledgers[id].snapshot();
        stats.reads.increment();
        if (before.accepts(read) || read > before.highest()) {
          continue; // its state, or a write that began after the snapshot
        }
        boolean own = ownerIndex(id) == client;
        if (read == KeyHistory.ABSENT) {
          if (before.seq() == after.seq() && !before.inFlight()) {
            stats.flag(stats.missing, own, 0, keys[id] + " absent, acknowledged " + before.acked(), this);
          }
        } else if (before.acked() == KeyHistory.ABSENT) {
          stats.flag(stats.resurrected, own, 0, keys[id] + " read " + read + ", acknowledged deleted", this);
        } else if (read < before.acked()) {
          stats.flag(stats.stale, own, before.acked() - read,
              keys[id] + " read " + read + ", acknowledged " + before.acked(), this);
        }
      }
    }

    String sinceHeal() {
      long heal = healedAt;
      long now = System.nanoTime();
      return heal == 0 ? "+" + ms(now - startedAt) + "ms of load (before heal)"
          : "heal" + (now >= heal ? "+" : "-") + ms(Math.abs(now - heal)) + "ms";
    }

    ReaderStats readerTotals() {
      ReaderStats total = new ReaderStats();
      for (ReaderStats r : readers) {
        total.reads.add(r.reads.sum());
        total.errors.add(r.errors.sum());
        total.stale.addAndGet(r.stale.get());
        total.missing.addAndGet(r.missing.get());
        total.resurrected.addAndGet(r.resurrected.get());
        total.otherClientsKeys.addAndGet(r.otherClientsKeys.get());
        total.maxLag.accumulateAndGet(r.maxLag.get(), Math::max);
        total.firstFlagMs.accumulateAndGet(r.firstFlagMs.get(), Math::min);
        total.lastFlagMs.accumulateAndGet(r.lastFlagMs.get(), Math::max);
        total.samples.addAll(r.samples);
      }
      return total;
    }
  }

  /** What one reader saw. */
  static final class ReaderStats {
    final LongAdder reads = new LongAdder();
    final LongAdder errors = new LongAdder();
    final AtomicLong stale = new AtomicLong();
    final AtomicLong missing = new AtomicLong();
    final AtomicLong resurrected = new AtomicLong();
    final AtomicLong otherClientsKeys = new AtomicLong(); // flagged reads of keys the other client writes
    final AtomicLong maxLag = new AtomicLong();
    final AtomicLong firstFlagMs = new AtomicLong(Long.MAX_VALUE); // relative to the (last) heal
    final AtomicLong lastFlagMs = new AtomicLong(Long.MIN_VALUE);
    final List<String> samples = Collections.synchronizedList(new ArrayList<>());

    void flag(AtomicLong kind, boolean own, long lag, String what, Load load) {
      long n = kind.incrementAndGet();
      if (!own) {
        otherClientsKeys.incrementAndGet();
      }
      maxLag.accumulateAndGet(lag, Math::max);
      long heal = load.healedAt;
      if (heal != 0) {
        long at = (System.nanoTime() - heal) / 1_000_000;
        firstFlagMs.accumulateAndGet(at, Math::min);
        lastFlagMs.accumulateAndGet(at, Math::max);
      }
      if (n <= SAMPLES / 2) {
        samples.add(Thread.currentThread().getName() + " " + what + (own ? " (own key)" : " (other client's key)")
            + " at " + load.sinceHeal());
      }
    }
  }

  // ------------------------------------------------------------------ watching the victim

  /**
   * Samples both clients' view of the victim every half millisecond and records each change, so
   * detection, readmission, restore and disagreement times come from what the clients reported.
   */
  static final class Watch implements AutoCloseable {

    record Change(long nanos, int client, String state) {}

    static final int ALL_HEALTHY = -1;

    final String address;
    final List<Change> changes = Collections.synchronizedList(new ArrayList<>());
    final Thread thread;
    final String[] last = new String[PROVIDERS];
    final String[] lastHealthy = new String[1];
    volatile boolean done;

    Watch(String address) {
      this.address = address;
      this.thread = new Thread(this::watch, "chaos-watch-" + address);
      thread.setDaemon(true);
      sample(last, lastHealthy); // the state before the failure
      thread.start();
    }

    private void watch() {
      while (!done) {
        sample(last, lastHealthy);
        LockSupport.parkNanos(500_000);
      }
      sample(last, lastHealthy);
    }

    private void sample(String[] last, String[] lastHealthy) {
      long now = System.nanoTime();
      boolean healthy = true;
      for (int p = 0; p < PROVIDERS; p++) {
        ClusterMXBean view = clients.get(p).view();
        String state = view.getNodeStates().get(address);
        healthy &= view.isHealthy();
        if (!state.equals(last[p])) {
          changes.add(new Change(now, p, state));
          last[p] = state;
        }
      }
      String h = healthy ? "HEALTHY" : "DEGRADED";
      if (!h.equals(lastHealthy[0])) {
        changes.add(new Change(now, ALL_HEALTHY, h));
        lastHealthy[0] = h;
      }
    }

    void stop() throws InterruptedException {
      done = true;
      thread.join(5000);
    }

    @Override
    public void close() {
      done = true;
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    PhaseTimes times(long failedAt, long healedAt) {
      List<Change> log;
      synchronized (changes) {
        log = new ArrayList<>(changes);
      }
      long[] detect = new long[PROVIDERS];
      long[] readmit = new long[PROVIDERS];
      long[] up = new long[PROVIDERS];
      java.util.Arrays.fill(detect, -1);
      java.util.Arrays.fill(readmit, -1);
      java.util.Arrays.fill(up, -1);
      long restoredAt = -1;
      String[] state = new String[PROVIDERS];
      long disagree = 0;
      long since = -1;
      for (Change c : log) {
        if (c.client() == ALL_HEALTHY) {
          if (c.state().equals("HEALTHY") && c.nanos() >= failedAt) {
            restoredAt = c.nanos(); // the last return to all-healthy counts
          }
          continue;
        }
        if (c.nanos() >= failedAt && isOut(c.state()) && detect[c.client()] < 0) {
          detect[c.client()] = ms(c.nanos() - failedAt);
        }
        if (c.nanos() >= healedAt && isOut(state[c.client()]) && !isOut(c.state())) {
          readmit[c.client()] = ms(c.nanos() - healedAt);
        }
        if (c.nanos() >= healedAt && c.state().equals("UP") && !"UP".equals(state[c.client()])) {
          up[c.client()] = ms(c.nanos() - healedAt);
        }
        boolean wasSplit = split(state);
        state[c.client()] = c.state();
        boolean isSplit = split(state);
        if (!wasSplit && isSplit) {
          since = c.nanos();
        } else if (wasSplit && !isSplit) {
          disagree += c.nanos() - since;
        }
      }
      long first = java.util.Arrays.stream(detect).filter(d -> d >= 0).min().orElse(-1);
      long restore = restoredAt < 0 ? -1 : Math.max(0, ms(restoredAt - healedAt));
      return new PhaseTimes(address, first, detect, readmit, up, restore, ms(disagree));
    }

    /** Returns if a client stopped using the node as it was: it suspects it or has it down. */
    private static boolean isOut(String state) {
      return "DOWN".equals(state) || "SUSPECTED".equals(state);
    }

    /** One client routes keys to the node (UP or REPAIRING) while the other does not. */
    private static boolean split(String[] state) {
      boolean anyDown = false;
      boolean anyUsable = false;
      for (String s : state) {
        if (s == null) {
          continue;
        }
        boolean usable = s.equals("UP") || s.equals("REPAIRING");
        anyDown |= !usable;
        anyUsable |= usable;
      }
      return anyDown && anyUsable;
    }
  }

  // ------------------------------------------------------------------ verification

  static final class Verification {
    long verified;
    long lost;
    long stale;
    long resurrected;
    long unexpected;
    long readErrors;
    long clientsDisagree;
    final List<String> samples = new ArrayList<>();

    void sample(String s) {
      if (samples.size() < SAMPLES) {
        samples.add(s);
      }
    }
  }

  /** What each node holds for one memcached key, for reports. */
  private static String heldBy(String memcachedKey) {
    StringBuilder out = new StringBuilder("held ");
    for (MemcachedProcess node : cluster.nodes()) {
      String value;
      try {
        value = Long.toString(valueOf(RawItems.get(node.port(), List.of(memcachedKey)).get(memcachedKey)));
      } catch (IOException | RuntimeException e) {
        value = e.getClass().getSimpleName();
      }
      out.append(node.address()).append('=').append(value).append(' ');
    }
    return out.toString().trim();
  }

  /**
   * Reads every key through both clients and judges it against its ledger: verified (a state it
   * may be in), lost (acknowledged value absent), stale (a value older than the acknowledged one),
   * resurrected (acknowledged deleted, yet present), unexpected (a value never written). Then takes
   * what was read as the new truth, so the next scenario judges only its own damage.
   */
  private static Verification verify() {
    Verification v = new Verification();
    for (int id = 0; id < KEYS; id++) {
      KeyHistory.Snapshot s = ledgers[id].snapshot();
      long[] reads = new long[PROVIDERS];
      for (int p = 0; p < PROVIDERS; p++) {
        long read;
        try {
          Long value = clients.get(p).cache().get(keys[id]);
          read = value == null ? KeyHistory.ABSENT : value;
        } catch (CacheException e) {
          v.readErrors++;
          v.sample(keys[id] + " via " + clients.get(p).name() + ": " + e);
          read = s.acked();
        }
        reads[p] = read;
        String where = keys[id] + " via " + clients.get(p).name() + " (owner " + ownerOf(id).name()
            + ", replicas " + ringReplicas.get(memcachedKeys[id]) + "): read " + read + ", acknowledged "
            + s.acked() + (s.certain() ? "" : " or " + java.util.Arrays.toString(s.possible()))
            + (s.accepts(read) ? "" : ", " + heldBy(memcachedKeys[id]));
        if (s.accepts(read)) {
          v.verified++;
        } else if (s.acked() == KeyHistory.ABSENT) {
          v.resurrected++;
          v.sample("resurrected " + where + "; history: " + ledgers[id].history());
        } else if (read == KeyHistory.ABSENT) {
          v.lost++;
          v.sample("lost " + where + "; history: " + ledgers[id].history());
        } else if (read < s.acked()) {
          v.stale++;
          v.sample("stale " + where + "; history: " + ledgers[id].history());
        } else {
          v.unexpected++;
          v.sample("unexpected " + where);
        }
      }
      for (int p = 1; p < PROVIDERS; p++) {
        if (reads[p] != reads[0]) {
          v.clientsDisagree++;
          v.sample(keys[id] + ": clients read " + java.util.Arrays.toString(reads));
        }
      }
      if (!s.certain() || reads[0] != s.acked()) {
        ledgers[id].resync(reads[0]);
      }
    }
    return v;
  }

  record CounterCheck(long acked, long failed, long applied, long lost, List<String> violations) {}

  /** Each counter grew by at least its acknowledged increments and at most those plus the failed ones. */
  private static CounterCheck checkCounters(Load load, long[] baseline) {
    List<String> violations = new ArrayList<>();
    long acked = 0;
    long failed = 0;
    long applied = 0;
    long lost = 0;
    long[][] values = new long[PROVIDERS][];
    for (int p = 0; p < PROVIDERS; p++) {
      values[p] = readCounters(clients.get(p));
    }
    for (int c = 0; c < counters.size(); c++) {
      long a = load.counterAcked.get(c);
      long f = load.counterFailed.get(c);
      long grew = values[0][c] - baseline[c];
      acked += a;
      failed += f;
      applied += grew;
      lost += Math.max(0, a - grew);
      if (grew < a || grew > a + f) {
        violations.add(counters.get(c) + " (replicas " + ringReplicas.get(counterMemcachedKeys.get(c))
            + ") grew by " + grew + " for " + a + " acknowledged and " + f + " failed increments"
            + (grew < a ? ": " + (a - grew) + " acknowledged increments lost" : ""));
      }
      for (int p = 1; p < PROVIDERS; p++) {
        if (values[p][c] != values[0][c]) {
          violations.add(counters.get(c) + ": clients read " + values[0][c] + " and " + values[p][c]);
        }
      }
    }
    return new CounterCheck(acked, failed, applied, lost, violations);
  }

  private static long[] readCounters(Client client) {
    long[] values = new long[counters.size()];
    for (int c = 0; c < counters.size(); c++) {
      Long value = client.cache().get(counters.get(c));
      values[c] = value == null ? 0 : value;
    }
    return values;
  }

  static final class Audit {
    long replicaMissing;
    long replicaStale;
    long strays;
    long strayStale;
    final List<String> samples = new ArrayList<>();

    void sample(String s) {
      if (samples.size() < SAMPLES) {
        samples.add(s);
      }
    }
  }

  /**
   * What each node physically holds, read with raw meta gets once both clients report full
   * replication: every present entry must be on both of its ring replicas with its current value
   * (else one more failure loses it or serves an old value); copies on any other node ("strays", left
   * by stand-ins) are counted, as a later failure can make them visible.
   */
  private static Audit audit() throws IOException {
    List<String> all = new ArrayList<>(List.of(memcachedKeys));
    all.addAll(counterMemcachedKeys);
    Map<String, Map<String, RawItems.Item>> held = new LinkedHashMap<>();
    for (MemcachedProcess node : cluster.nodes()) {
      held.put(node.address(), RawItems.get(node.port(), all));
    }
    Map<String, Long> expected = new HashMap<>();
    for (int id = 0; id < KEYS; id++) {
      expected.put(memcachedKeys[id], ledgers[id].acked()); // resynced by verify(): certain
    }
    long[] counterValues = readCounters(clients.get(0));
    for (int c = 0; c < counters.size(); c++) {
      expected.put(counterMemcachedKeys.get(c), counterValues[c]);
    }
    Audit audit = new Audit();
    for (String mkey : all) {
      long want = expected.get(mkey);
      List<String> replicas = ringReplicas.get(mkey);
      for (Map.Entry<String, Map<String, RawItems.Item>> node : held.entrySet()) {
        long has = valueOf(node.getValue().get(mkey));
        String what = nameOf(mkey) + " on " + node.getKey() + " (replicas " + replicas + "): holds "
            + has + ", current " + want;
        if (replicas.contains(node.getKey())) {
          if (want != KeyHistory.ABSENT && has == KeyHistory.ABSENT) {
            audit.replicaMissing++;
            audit.sample("missing " + what);
          } else if (has != want) {
            audit.replicaStale++;
            audit.sample("stale replica " + what);
          }
        } else if (has != KeyHistory.ABSENT) {
          audit.strays++;
          if (has != want) {
            audit.strayStale++;
            audit.sample("stray " + what);
          }
        }
      }
    }
    return audit;
  }

  private static long valueOf(RawItems.Item item) {
    if (item == null || item.flags() == StoredItem.TOMBSTONE_FLAGS) {
      return KeyHistory.ABSENT;
    }
    Envelope envelope = EnvelopeCodec.decode(item.flags(), item.bytes());
    return (Long) serializer.deserialize(envelope.buffer(), envelope.valueOffset(), envelope.valueLength());
  }

  private static String nameOf(String mkey) {
    int c = counterMemcachedKeys.indexOf(mkey);
    if (c >= 0) {
      return counters.get(c);
    }
    for (int id = 0; id < KEYS; id++) {
      if (memcachedKeys[id].equals(mkey)) {
        return keys[id];
      }
    }
    return mkey;
  }

  // ------------------------------------------------------------------ reporting

  private static void report(String name, Load load, List<PhaseTimes> times,
      Verification v, CounterCheck counts, Audit audit) {
    PhaseTimes last = times.get(times.size() - 1);
    ReaderStats r = load.readerTotals();
    String line = String.format("scenario=%s acked=%d verified=%d lost=%d stale=%d resurrected=%d"
            + " detect=%dms restore=%dms | lostIncrements=%d contradictedOps=%d staleReads=%d"
            + " resurrectedReads=%d", name, load.acked.get(), v.verified, v.lost, v.stale,
        v.resurrected, last.detectMs(), last.restoreMs(), counts.lost(), load.anomalies.get(),
        r.stale.get(), r.resurrected.get());
    System.out.println(line);
    summaries.add(line);
    StringBuilder detail = new StringBuilder("  ").append(name).append(" details:");
    for (int i = 0; i < times.size(); i++) {
      PhaseTimes t = times.get(i);
      detail.append(String.format("%n    victim %s: detect A=%dms B=%dms; after heal: flushed+REPAIRING"
              + " A=%dms B=%dms, UP A=%dms B=%dms, restore=%dms; one client used it while the other"
              + " had it DOWN for %dms", t.victim(), t.detectPerClient()[0], t.detectPerClient()[1],
          t.readmitPerClient()[0], t.readmitPerClient()[1], t.upPerClient()[0], t.upPerClient()[1],
          t.restoreMs(), t.disagreeMs()));
    }
    detail.append(String.format("%n    ops: acked=%d failed=%d errors=%s; during load, operations that"
            + " contradicted the acknowledged state=%d (found a deleted key present %d, found an"
            + " acknowledged value absent/older %d); final: unexpected=%d readErrors=%d clientsDisagree=%d",
        load.acked.get(), load.failed.get(), sortedErrors(load), load.anomalies.get(),
        load.anomaliesResurrected.get(), load.anomaliesLost.get(), v.unexpected, v.readErrors,
        v.clientsDisagree));
    detail.append(String.format("%n    counters (%d keys): increments acked=%d failed=%d applied=%d%s",
        counters.size(), counts.acked(), counts.failed(), counts.applied(),
        counts.violations().isEmpty() ? " ok" : " VIOLATIONS " + counts.violations()));
    detail.append(String.format("%n    stale-read watch: reads=%d (errors %d) staleReads=%d missingReads=%d"
            + " resurrectedReads=%d (of keys the other client writes: %d) maxLag=%d versions%s",
        r.reads.sum(), r.errors.sum(), r.stale.get(), r.missing.get(), r.resurrected.get(),
        r.otherClientsKeys.get(), r.maxLag.get(), r.firstFlagMs.get() == Long.MAX_VALUE ? ""
            : String.format(", flagged reads from heal%+dms to heal%+dms", r.firstFlagMs.get(),
                r.lastFlagMs.get())));
    detail.append(String.format("%n    replicas after restore: missing=%d stale=%d strays=%d (stale strays %d)",
        audit.replicaMissing, audit.replicaStale, audit.strays, audit.strayStale));
    appendSamples(detail, "verification", v.samples);
    appendSamples(detail, "contradictions", load.anomalySamples);
    appendSamples(detail, "stale reads", r.samples);
    appendSamples(detail, "audit", audit.samples);
    System.out.println(detail);
    summaries.add(detail.toString().trim().replace("\n", "\n  "));
  }

  private static void appendSamples(StringBuilder out, String title, List<String> samples) {
    synchronized (samples) {
      if (!samples.isEmpty()) {
        out.append(String.format("%n    %s:", title));
        samples.forEach(s -> out.append(String.format("%n      %s", s)));
      }
    }
  }

  private static String sortedErrors(Load load) {
    Map<String, Long> sorted = new TreeMap<>();
    load.errors.forEach((k, v) -> sorted.put(k, v.sum()));
    return sorted.toString();
  }

  // ------------------------------------------------------------------ helpers

  private static List<String> replicasOnRing(KetamaRing ring, String memcachedKey) {
    return ring.replicas(memcachedKey.getBytes(StandardCharsets.UTF_8), COPIES).stream()
        .map(ServerAddress::toString).collect(Collectors.toList());
  }

  /** Nodes by how many worker keys they are the primary of, most first. */
  private static List<MemcachedProcess> byPrimaries() {
    return byReplicaRank(0);
  }

  /** Nodes by how many worker keys they are the backup (second replica) of, most first. */
  private static List<MemcachedProcess> byBackups() {
    return byReplicaRank(1);
  }

  private static List<MemcachedProcess> byReplicaRank(int rank) {
    Map<String, Integer> count = new HashMap<>();
    for (String mkey : memcachedKeys) {
      count.merge(ringReplicas.get(mkey).get(rank), 1, Integer::sum);
    }
    List<MemcachedProcess> nodes = new ArrayList<>(cluster.nodes());
    nodes.sort(Comparator.comparingInt((MemcachedProcess n) -> count.getOrDefault(n.address(), 0)).reversed());
    System.out.println("  " + (rank == 0 ? "primary" : "backup") + " of: " + nodes.stream()
        .map(n -> n.address() + "=" + count.getOrDefault(n.address(), 0) + " keys")
        .collect(Collectors.joining(", ")));
    return nodes;
  }

  private static int ownerIndex(int id) {
    return id / KEYS_PER_WORKER / THREADS_PER_PROVIDER;
  }

  private static Client ownerOf(int id) {
    return clients.get(ownerIndex(id));
  }

  private static String readEverywhere(String key) {
    List<String> out = new ArrayList<>();
    for (Client c : clients) {
      try {
        out.add(c.name() + "=" + c.cache().get(key));
      } catch (CacheException e) {
        out.add(c.name() + "=" + e.getClass().getSimpleName());
      }
    }
    return String.join(" ", out);
  }

  private static void awaitHealthy(String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEALTHY_DEADLINE_MS);
    Supplier<Boolean> healthy = () -> clients.stream().allMatch(c -> c.view().isHealthy());
    while (!healthy.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": full replication not restored within " + HEALTHY_DEADLINE_MS
            + " ms: " + clients.stream().map(c -> c.name() + c.view().getNodeStates())
            .collect(Collectors.joining(" ")));
      }
      Thread.sleep(2);
    }
  }

  private static void pauseQuietly(long millis) {
    try {
      pause(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits without any single sleep of a second or more. */
  private static void pause(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      Thread.sleep(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(left))));
    }
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
