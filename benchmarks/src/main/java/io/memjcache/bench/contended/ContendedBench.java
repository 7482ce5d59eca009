package io.memjcache.bench.contended;

import io.memjcache.bench.Store;
import io.memjcache.bench.bulk.ServerStats;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The contended-invoke benchmark (issue 14): one hot key, {@code invoke(key, Increment)} (the shape
 * of Bucket4j's JCache token bucket), 2 copies, on 3 real memcached processes (the testkit's, on free
 * 127.0.0.1 ports, stopped at the end, on failure too), from writer threads in one or more client
 * JVMs ({@link WriterJvms}). Each case gets a fresh key set to 0; afterwards the counter is read back
 * and must equal the increments the writers were acknowledged ({@link CaseOutcome#failure}), or the
 * run exits non-zero. The summary is rewritten after each case, so a failure keeps the cases before.
 *
 * <p>Knobs (environment): {@code CASES} (JVMs x threads, default {@code 1x1,1x16,2x8,2x16}),
 * {@code ROUNDS} (2), {@code WARMUP_S} (10), {@code MEASURE_S} (10), {@code OPERATION_TIMEOUT_MS}
 * (2000: other builds stall whole JVMs on a shared machine), {@code VALUE_BYTES} (64), {@code OUT},
 * {@code LOCAL_TURNS} (0; 1: the writers of each JVM take turns, see {@link ContendedClient}).
 */
public final class ContendedBench {

  private ContendedBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    List<String> cases = List.of(env.getOrDefault("CASES", "1x1,1x16,2x8,2x16").split(","));
    int rounds = Integer.parseInt(env.getOrDefault("ROUNDS", "2"));
    long warmupMillis = Long.parseLong(env.getOrDefault("WARMUP_S", "10")) * 1000;
    long measureMillis = Long.parseLong(env.getOrDefault("MEASURE_S", "10")) * 1000;
    long timeoutMillis = Long.parseLong(env.getOrDefault("OPERATION_TIMEOUT_MS", "2000"));
    int valueBytes = Integer.parseInt(env.getOrDefault("VALUE_BYTES", "64"));
    String turns = env.getOrDefault("LOCAL_TURNS", "0");
    if (!turns.equals("0") && !turns.equals("1")) {
      throw new IllegalArgumentException("LOCAL_TURNS is 0 or 1, not " + turns);
    }
    boolean localTurns = turns.equals("1");
    Path out = Path.of(env.getOrDefault("OUT", "benchmarks/results/contended.txt"));
    // a case may not take much longer than it should: JVM start, warm-up, measurement, slack
    long limitSeconds = (warmupMillis + measureMillis) / 1000 + 90;

    List<String> header = header(cases, rounds, warmupMillis, measureMillis, timeoutMillis, valueBytes);
    if (localTurns) {
      header.add("LOCAL_TURNS=1: the writers of each JVM take turns (a fair lock around each invoke), an"
          + " experiment: the provider does not do this");
    }
    header.forEach(System.out::println);
    List<CaseOutcome> outcomes = new ArrayList<>();
    String failure = "";
    try (MemcachedCluster cluster = MemcachedCluster.start(3, List.of("-m", "64", "-o", "lru_crawler_sleep=0"));
        CounterCache counters = new CounterCache(cluster.servers(), timeoutMillis)) {
      for (int round = 1; round <= rounds && failure.isEmpty(); round++) {
        for (String name : cases) {
          String[] shape = name.split("x");
          int jvms = Integer.parseInt(shape[0]);
          int threads = Integer.parseInt(shape[1]);
          String key = "hot:" + round + ":" + name;
          counters.cache().put(key, new byte[valueBytes]); // the counter: first 8 bytes, 0
          long conflictsBefore = casConflicts(cluster);
          List<WriterResult> writers = WriterJvms.run(jvms, threads, List.of(cluster.servers(), key,
              Long.toString(warmupMillis), Long.toString(measureMillis), Long.toString(timeoutMillis),
              Boolean.toString(localTurns)), limitSeconds);
          long conflicts = casConflicts(cluster) - conflictsBefore;
          CaseOutcome outcome = new CaseOutcome(round, jvms, threads, measureMillis, writers,
              Store.counter(counters.cache().get(key)), conflicts);
          outcomes.add(outcome);
          System.out.println(outcome.row(0));
          write(out, render(header, outcomes));
          if (!outcome.failure().isEmpty()) {
            failure = "round " + round + ", case " + name + ": " + outcome.failure();
            break;
          }
        }
      }
    }
    header = new ArrayList<>(header);
    header.add("load average at the end: " + loadAverage());
    write(out, render(header, outcomes) + (failure.isEmpty() ? "" : "FAILED: " + failure + "\n"));
    System.out.println(failure.isEmpty() ? "summary: " + out : "FAILED: " + failure + " (summary: " + out + ")");
    System.exit(failure.isEmpty() ? 0 : 1);
  }

  /** {@code cas_badval} summed over the nodes: {@code cas} commands refused because the item had changed. */
  private static long casConflicts(MemcachedCluster cluster) throws IOException {
    long sum = 0;
    for (MemcachedProcess node : cluster.nodes()) {
      sum += Long.parseLong(ServerStats.of(node.port()).get("cas_badval"));
    }
    return sum;
  }

  private static String render(List<String> header, List<CaseOutcome> outcomes) {
    StringBuilder text = new StringBuilder();
    header.forEach(line -> text.append(line).append('\n'));
    text.append('\n').append(CaseOutcome.HEADER).append('\n');
    for (CaseOutcome outcome : outcomes) {
      double baseline = outcomes.stream().filter(o -> o.round() == outcome.round() && o.jvms() == 1
          && o.threads() == 1).mapToDouble(CaseOutcome::invokesPerSecond).findFirst().orElse(0);
      text.append(outcome.row(baseline)).append('\n');
    }
    return text.toString();
  }

  private static List<String> header(List<String> cases, int rounds, long warmupMillis, long measureMillis,
      long timeoutMillis, int valueBytes) throws IOException {
    Runtime runtime = Runtime.getRuntime();
    return new ArrayList<>(List.of(
        "memjcache contended-invoke benchmark (benchmarks/run-contended.sh), started "
            + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))
            + ", code " + System.getenv().getOrDefault("CONTENDED_CODE", "unknown (not run by run-contended.sh)"),
        String.format(Locale.ROOT, "machine: %d CPUs, %s %s, load average at the start: %s",
            runtime.availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
            loadAverage()),
        "one hot key, invoke(key, Increment) (+1 on a counter in the value's first 8 bytes, " + valueBytes
            + " B values), copies=2, 3 memcached on 127.0.0.1 (-m 64); client JVMs -Xmx256m, operationTimeoutMillis="
            + timeoutMillis,
        String.format(Locale.ROOT, "cases (JVMs x threads): %s; %d round(s); per case: a fresh key, %d s warm-up"
            + " then %d s measured, all JVMs told to go at once", String.join(", ", cases), rounds,
            warmupMillis / 1000, measureMillis / 1000),
        "invokes/s: increments acknowledged in the measured period, all writers; ÷ 1x1: against the same round's"
            + " single writer",
        "fair / slowest / fastest: a writer's share of those increments (fair = 1/writers; no writer may stay at 0)",
        "conflicts/op: the servers' cas_badval (a cas refused because the item changed since its gets) per"
            + " acknowledged invoke, warm-up included; backup copies use cas too",
        "exactness: the counter read back after the case = the increments acknowledged (warm-up included)"));
  }

  private static String loadAverage() throws IOException {
    Path loadavg = Path.of("/proc/loadavg");
    return Files.exists(loadavg)
        ? String.join(" ", List.of(Files.readString(loadavg, StandardCharsets.US_ASCII).split(" ")).subList(0, 3))
        : "unknown";
  }

  private static void write(Path out, String text) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(out, text);
  }
}
