package io.memjcache.chaos;

import io.memjcache.MemcachedCachingProvider;
import io.memjcache.testkit.MemcachedCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;

/**
 * One pause scenario's world: a fresh 3-node memcached cluster on free 127.0.0.1 ports and two
 * {@link LoadClient} JVMs, A and B, running the same load on it. The scenario pauses and resumes
 * them (and the servers) while the load runs; {@link #finish()} waits for both to end on their own,
 * reads their logs and every key through a fresh client, and judges them.
 *
 * <p>Logs go to {@code target/paused-clients/<scenario>/}, one file per client, kept for diagnosis.
 * {@link #close()} kills what is still running (clients first, then servers), also after a failure.
 */
final class PausableRun implements AutoCloseable {

  static final int NODES = 3;
  static final int THREADS = 4;
  static final int REGISTERS_PER_THREAD = 50;
  static final int COUNTERS = 8;
  /** How long a client may take, after its load's end, to report full replication and exit. */
  static final long FINISH_LIMIT_MS = 60_000;
  static final int FINAL_READ_ATTEMPTS = 3;

  final String scenario;
  final MemcachedCluster cluster;
  final LoadPlan plan;
  private final List<ClientProcess> clients = new ArrayList<>();
  private final List<String> events = new ArrayList<>();

  private PausableRun(String scenario, MemcachedCluster cluster, LoadPlan plan) {
    this.scenario = scenario;
    this.cluster = cluster;
    this.plan = plan;
  }

  /** Starts the cluster and both clients and sets the load going for {@code durationMs}. */
  static PausableRun start(String scenario, long durationMs) throws Exception {
    return start(scenario, durationMs, NODES, MemcachedCluster::servers);
  }

  /**
   * As {@link #start(String, long)} on {@code nodes} servers, the clients' server lists made by
   * {@code lists} (see {@link LoadPlan}).
   */
  static PausableRun start(String scenario, long durationMs, int nodes,
      Function<MemcachedCluster, String> lists) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "paused-clients", scenario));
    MemcachedCluster cluster = MemcachedCluster.start(nodes);
    LoadPlan plan = new LoadPlan(lists.apply(cluster), 2, THREADS, REGISTERS_PER_THREAD, COUNTERS, durationMs,
        System.currentTimeMillis());
    PausableRun run = new PausableRun(scenario, cluster, plan);
    try {
      run.clients.add(ClientProcess.start("A", 0, plan, dir));
      if (plan.servers().contains(";")) {
        run.a().awaitReady(); // A's list is the one in use when B comes
      }
      run.clients.add(ClientProcess.start("B", 1, plan, dir));
      run.clients.forEach(ClientProcess::awaitReady);
    } catch (Exception | Error e) {
      run.closeAfter(e);
      throw e;
    }
    run.clients.forEach(ClientProcess::go);
    run.event("load started");
    return run;
  }

  ClientProcess a() {
    return clients.get(0);
  }

  ClientProcess b() {
    return clients.get(1);
  }

  /** Notes a fault with its time on the logs' clock, for the report. */
  void event(String what) {
    events.add(what + " @" + (System.currentTimeMillis() - plan.epochMillis()) + "ms");
  }

  List<String> events() {
    return events;
  }

  /** Sleeps in steps below a second (so a stuck test is interruptible promptly). */
  static void sleep(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    for (long left; (left = deadline - System.nanoTime()) > 0; ) {
      Thread.sleep(Math.max(1, Math.min(100, left / 1_000_000)));
    }
  }

  /** Waits for both clients to finish their load, then judges their logs and the final state. */
  RunVerdict finish() throws IOException, InterruptedException {
    Map<String, String> views = new LinkedHashMap<>();
    Map<String, List<LoggedOp>> logs = new LinkedHashMap<>();
    Map<String, Long> stderr = new HashMap<>();
    for (ClientProcess client : clients) {
      views.put(client.name(), client.awaitDone(plan.durationMillis() + FINISH_LIMIT_MS));
    }
    List<LoggedOp> all = new ArrayList<>();
    for (ClientProcess client : clients) {
      logs.put(client.name(), client.operations());
      all.addAll(logs.get(client.name()));
      stderr.put(client.name(), client.stderrLines());
    }
    Map<String, Long> counters = readThroughFreshClient(plan.counterKeys());
    Map<String, Long> registers = readThroughFreshClient(plan.registerKeys());
    return new RunVerdict(scenario, logs, views, stderr,
        CounterAudit.judge(plan.counterKeys(), all, counters), RegisterAudit.judge(all, registers));
  }

  /** Reads keys through a client that saw none of the run (absent keys map to {@link LoggedOp#ABSENT}). */
  private Map<String, Long> readThroughFreshClient(List<String> keys) {
    Map<String, Long> values = new LinkedHashMap<>();
    try (MemcachedCachingProvider provider = new MemcachedCachingProvider()) {
      CacheManager manager = provider.getCacheManager(plan.uri(Integer.MAX_VALUE), PausableRun.class.getClassLoader());
      Cache<String, Long> cache = manager.createCache(LoadClient.CACHE_NAME,
          new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
      for (String key : keys) {
        Long value = readPatiently(cache, key);
        values.put(key, value == null ? LoggedOp.ABSENT : value);
      }
    }
    return values;
  }

  /**
   * A read that throws (a timeout on a machine loaded by other builds) is tried again, up to
   * {@link #FINAL_READ_ATTEMPTS} times: an exception is no answer, so retrying hides no wrong value.
   */
  private static Long readPatiently(Cache<String, Long> cache, String key) {
    for (int attempt = 1; ; attempt++) {
      try {
        return cache.get(key);
      } catch (CacheException e) {
        if (attempt == FINAL_READ_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** Kills the clients still running, then the servers: each, whatever the others do. */
  @Override
  public void close() {
    IllegalStateException failure = new IllegalStateException("closing " + scenario);
    closeAfter(failure);
    if (failure.getSuppressed().length > 0) {
      throw failure;
    }
  }

  /** Closes everything, adding what goes wrong to {@code failure}. */
  private void closeAfter(Throwable failure) {
    List<AutoCloseable> order = new ArrayList<>(clients);
    order.add(cluster);
    for (AutoCloseable resource : order) {
      try {
        resource.close();
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
  }
}
