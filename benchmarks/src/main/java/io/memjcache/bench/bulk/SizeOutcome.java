package io.memjcache.bench.bulk;

import java.util.List;
import java.util.Map;

/**
 * What one size of the run produced: its runs, each server's {@code stats} after the client ended,
 * and why it failed ({@code ""} when it did not).
 */
record SizeOutcome(int size, List<RunResult> results, List<Map<String, String>> serverStats, String failure) {

  long evictions() {
    return sumOf("evictions");
  }

  long sumOf(String stat) {
    return serverStats.stream().mapToLong(stats -> Long.parseLong(stats.getOrDefault(stat, "0"))).sum();
  }

  /** The most memory any one server took for items ({@code total_malloced}, never shrinks), in MB. */
  long maxServerMb() {
    return serverStats.stream().mapToLong(stats -> Long.parseLong(stats.getOrDefault("total_malloced", "0")))
        .max()
        .orElse(0) / (1024 * 1024);
  }
}
