package io.memjcache.bench.bulk;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import java.io.IOException;
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
 * The bulk-operation benchmark (issue 16): for each size, a fresh cluster of 3 real memcached
 * processes (the testkit's, on free 127.0.0.1 ports, stopped when the size is done, on failure too)
 * and a {@link BulkClient} JVM with its heap capped; then each server's {@code stats}. Writes the
 * summary ({@link BulkSummary}) after every size, so a failed size keeps the earlier ones, and
 * exits non-zero when a size failed: a client that did not finish, a check that failed, or an
 * eviction (the numbers would then not be of the whole cache).
 *
 * <p>Knobs: environment variables, see {@link BulkOptions} and {@code benchmarks/run-bulk.sh}.
 */
public final class BulkBench {

  private BulkBench() {}

  public static void main(String[] args) throws Exception {
    BulkOptions options = BulkOptions.from(System.getenv());
    List<String> header = header(options);
    header.forEach(System.out::println);
    List<SizeOutcome> outcomes = new ArrayList<>();
    boolean failed = false;
    for (int size : options.sizes()) {
      SizeOutcome outcome = measure(options, size);
      outcomes.add(outcome);
      System.out.println(outcome.failure().isEmpty() ? "size " + size + ": done, evictions " + outcome.evictions()
          : "size " + size + " FAILED: " + outcome.failure());
      write(options.out(), BulkSummary.render(header, outcomes));
      if (!outcome.failure().isEmpty()) {
        failed = true;
        break;
      }
    }
    System.out.println("summary: " + options.out());
    System.exit(failed ? 1 : 0);
  }

  private static SizeOutcome measure(BulkOptions options, int size) throws InterruptedException {
    List<RunResult> results = new ArrayList<>();
    try (MemcachedCluster cluster = MemcachedCluster.start(3,
        List.of("-m", Integer.toString(options.memcachedMb()), "-o", "lru_crawler_sleep=0"))) {
      String failure = "";
      try {
        results.addAll(ClientJvm.run(options.clientHeap(), options.clientArgs(cluster.servers(), size),
            options.clientLimitSeconds(), BulkBench::progress));
      } catch (IOException | IllegalStateException e) {
        failure = e.getMessage();
      }
      List<Map<String, String>> stats = new ArrayList<>();
      for (MemcachedProcess node : cluster.nodes()) {
        try {
          stats.add(ServerStats.of(node.port()));
        } catch (IOException e) {
          failure = failure.isEmpty() ? "stats of " + node + ": " + e.getMessage() : failure;
        }
      }
      SizeOutcome outcome = new SizeOutcome(size, results, stats, failure);
      if (failure.isEmpty() && outcome.evictions() > 0) {
        return new SizeOutcome(size, results, stats, outcome.evictions()
            + " evictions: raise MEMCACHED_MB (now " + options.memcachedMb() + ")");
      }
      return outcome;
    }
  }

  private static void progress(RunResult result) {
    System.out.printf(Locale.ROOT, "  %-16s run %d: %d entries in %d ms (%.0f/s), peak heap %.0f MB, live %.0f MB,"
        + " suspected %d, down %d (load before it %d ms)%n", result.op(), result.run(), result.entries(),
        result.micros() / 1000, result.entriesPerSecond(), result.peakMb(), result.liveMb(), result.suspicions(),
        result.markedDown(), result.loadMs());
  }

  private static List<String> header(BulkOptions options) {
    Runtime runtime = Runtime.getRuntime();
    return List.of(
        "memjcache bulk-operation benchmark (benchmarks/run-bulk.sh), started "
            + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))
            + ", code " + System.getenv().getOrDefault("BULK_CODE", "unknown (not run by run-bulk.sh)"),
        String.format(Locale.ROOT, "machine: %d CPUs, %s %s; 3 memcached (-m %d -o lru_crawler_sleep=0) on"
            + " 127.0.0.1, fresh per size", runtime.availableProcessors(), System.getProperty("java.vm.name"),
            System.getProperty("java.version"), options.memcachedMb()),
        String.format(Locale.ROOT, "client JVM: -Xmx%s -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError; copies=2,"
            + " operationTimeoutMillis=%d; values %d B, keys Integer; small cache %d entries",
            options.clientHeap(), options.operationTimeoutMs(), options.valueBytes(), options.smallEntries()),
        String.format(Locale.ROOT, "runs per operation: %d (median shown), each on freshly loaded entries when"
            + " the operation empties its cache; step limit %d s", options.runs(), options.stepLimitSeconds()),
        "peak heap: sum of the heap pools' peaks during the operation (garbage included);"
            + " live: most heap a GC during it left in use",
        "small-*: the small cache while the large one (of the row's size) holds its entries on the same servers");
  }

  private static void write(Path out, String text) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(out, text);
  }
}
