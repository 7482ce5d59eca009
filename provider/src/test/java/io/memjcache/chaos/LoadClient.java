package io.memjcache.chaos;

import io.memjcache.MemcachedCacheManager;
import io.memjcache.MemcachedCachingProvider;
import io.memjcache.cluster.health.ClusterMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;

/**
 * One client JVM of the pause scenarios, run by {@link ClientProcess} so that the test can stop it
 * with SIGSTOP as a long GC pause would. It opens the provider on the run's cluster, runs the
 * {@link LoadPlan}'s load on one shared cache and logs every operation ({@link LoggedOp}) to its own
 * file, which the test judges after the process exited.
 *
 * <p>Line protocol on stdin / stdout (replies start with {@code @}, so nothing else printed there
 * can be taken for one): it prints {@code @ready} once the cache is open; {@code go} starts the load,
 * which ends after the plan's duration or at {@code stop}; {@code status} answers
 * {@code @status <fully replicated> <node states>}. When the load has ended it waits (bounded) for
 * its cluster view to report full replication, prints {@code @done <cluster view>} and exits 0.
 * stdin closing (the test is gone) ends the load at once. Every loop is bounded.
 */
public final class LoadClient {

  static final String CACHE_NAME = "paused";
  private static final long MAX_OPS_PER_THREAD = 1_000_000;
  private static final long JOIN_LIMIT_MS = 30_000;
  private static final long REPLICATION_WAIT_MS = 15_000;

  private final LoadPlan plan;
  private final int index;
  private final Cache<String, Long> cache;
  private final Writer log;
  private final long epochMicros;
  private final CountDownLatch go = new CountDownLatch(1);
  private volatile boolean stopped;
  private volatile long deadlineNanos = Long.MAX_VALUE;

  private LoadClient(LoadPlan plan, int index, Cache<String, Long> cache, Writer log) {
    this.plan = plan;
    this.index = index;
    this.cache = cache;
    this.log = log;
    this.epochMicros = TimeUnit.MILLISECONDS.toMicros(plan.epochMillis());
  }

  /** {@code <client index> <log file> <LoadPlan arguments...>} */
  public static void main(String[] args) throws Exception {
    int index = Integer.parseInt(args[0]);
    Path logFile = Path.of(args[1]);
    LoadPlan plan = LoadPlan.parse(args, 2);
    MemcachedCachingProvider provider = new MemcachedCachingProvider();
    try (Writer log = Files.newBufferedWriter(logFile, StandardCharsets.US_ASCII)) {
      CacheManager manager = provider.getCacheManager(plan.uri(index), LoadClient.class.getClassLoader());
      Cache<String, Long> cache = manager.createCache(CACHE_NAME,
          new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
      ClusterMXBean cluster = manager.unwrap(MemcachedCacheManager.class).cluster();
      LoadClient client = new LoadClient(plan, index, cache, log);
      client.listen(cluster);
      say("@ready");
      client.go.await();
      client.run();
      say("@done " + view(cluster, awaitReplication(cluster)));
    } finally {
      provider.close();
    }
    System.exit(0); // ends the JVM even if a library thread outlives the provider
  }

  private void listen(ClusterMXBean cluster) {
    Thread control = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
        for (String line; (line = in.readLine()) != null; ) {
          switch (line.trim()) {
            case "go" -> start();
            case "stop" -> stopped = true;
            case "status" -> say("@status " + cluster.isFullyReplicated() + " " + cluster.getNodeStates());
            default -> say("@error unknown command '" + line + "'");
          }
        }
      } catch (IOException e) {
        // the test's end of the pipe is gone: stop like at EOF
      }
      stopped = true;
      go.countDown();
    }, "load-control");
    control.setDaemon(true);
    control.start();
  }

  private void start() {
    deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(plan.durationMillis());
    go.countDown();
  }

  private void run() throws InterruptedException, IOException {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < plan.threads(); t++) {
      int thread = t;
      threads.add(new Thread(() -> work(thread), "load-" + index + "." + t));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join(JOIN_LIMIT_MS);
      if (t.isAlive()) {
        say("@error " + t.getName() + " did not stop: an operation hangs");
        Runtime.getRuntime().halt(3);
      }
    }
    log.flush();
  }

  private boolean running() {
    return !stopped && System.nanoTime() < deadlineNanos;
  }

  /** Increments (20 %), writes (35 %) and deletes (10 %) of its own registers, reads of anyone's (35 %). */
  private void work(int thread) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long[] sequence = new long[plan.registersPerThread()];
    for (long n = 0; n < MAX_OPS_PER_THREAD && running(); n++) {
      int dice = random.nextInt(100);
      if (dice < 20) {
        String key = LoadPlan.counterKey(random.nextInt(plan.counters()));
        timed(LoggedOp.INCREMENT, key, LoggedOp.ABSENT, () -> cache.invoke(key, new Increment()));
      } else if (dice < 65) {
        int i = random.nextInt(plan.registersPerThread());
        String key = LoadPlan.registerKey(index, thread, i);
        if (dice < 55) {
          long value = ++sequence[i];
          timed(LoggedOp.WRITE, key, value, () -> {
            cache.put(key, value);
            return value;
          });
        } else {
          timed(LoggedOp.DELETE, key, LoggedOp.ABSENT, () -> {
            cache.remove(key);
            return LoggedOp.ABSENT;
          });
        }
      } else {
        String key = LoadPlan.registerKey(random.nextInt(plan.clients()), random.nextInt(plan.threads()),
            random.nextInt(plan.registersPerThread()));
        timed(LoggedOp.READ, key, LoggedOp.ABSENT, () -> {
          Long value = cache.get(key);
          return value == null ? LoggedOp.ABSENT : value;
        });
      }
    }
  }

  /** Runs one operation and logs it; an exception is logged (unacknowledged), not thrown. */
  private void timed(char kind, String key, long attempted, LongSupplier operation) {
    long start = now();
    LoggedOp op;
    try {
      long value = operation.getAsLong();
      op = new LoggedOp(kind, key, start, now(), value, null);
    } catch (RuntimeException e) {
      op = new LoggedOp(kind, key, start, now(), attempted, LoggedOp.describe(e));
      pauseAfterFailure();
    }
    try {
      synchronized (log) {
        log.write(op.line());
        log.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A millisecond after a failed operation, as an application retrying would wait: a client that
   * refuses every operation at once (its server list differs from the one in use) otherwise logs
   * millions of them a second (132 MB of log in one run).
   */
  private static void pauseAfterFailure() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long now() {
    Instant now = Instant.now();
    return TimeUnit.SECONDS.toMicros(now.getEpochSecond()) + now.getNano() / 1000 - epochMicros;
  }

  /** Returns how long this client waited for its view to report full replication, -1 if it never did. */
  private static long awaitReplication(ClusterMXBean cluster) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(REPLICATION_WAIT_MS);
    while (!cluster.isFullyReplicated()) {
      if (System.nanoTime() > deadline) {
        return -1;
      }
      Thread.sleep(20);
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static String view(ClusterMXBean cluster, long replicatedAfterMs) {
    return "fullyReplicatedAfter=" + (replicatedAfterMs < 0 ? "never" : replicatedAfterMs + "ms")
        + " states=" + cluster.getNodeStates().toString().replace(" ", "")
        + " markedDown=" + cluster.getNodesMarkedDown() + " rejoins=" + cluster.getRejoins()
        + " repaired=" + cluster.getEntriesRepaired() + " failovers=" + cluster.getFailovers()
        + " switchesMissed=" + cluster.getSwitchesMissed();
  }

  private static void say(String line) {
    synchronized (System.out) {
      System.out.println(line);
      System.out.flush();
    }
  }

  /** Adds one to a counter (absent counts as 0) and returns the new value. */
  static final class Increment implements EntryProcessor<String, Long, Long> {
    @Override
    public Long process(MutableEntry<String, Long> entry, Object... arguments) {
      long next = entry.exists() ? entry.getValue() + 1 : 1;
      entry.setValue(next);
      return next;
    }
  }
}
