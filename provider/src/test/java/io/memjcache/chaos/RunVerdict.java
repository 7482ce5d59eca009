package io.memjcache.chaos;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one run of {@link LoadClient}s did and broke: operations acknowledged and failed (by
 * exception), the longest operation per client, the counter and register audits, and each client's
 * final cluster view. {@link #summary()} is the one line per scenario the README table is filled from.
 */
record RunVerdict(String scenario, Map<String, List<LoggedOp>> byClient, Map<String, String> views,
    Map<String, Long> stderrLines, CounterAudit counters, RegisterAudit registers) {

  /** A run that did less than this proves nothing. */
  static final long MIN_ACKNOWLEDGED = 200;

  long acknowledged() {
    return byClient.values().stream().flatMap(List::stream).filter(LoggedOp::acknowledged).count();
  }

  /** Failed operations by error, e.g. {@code CacheException/NodeUnavailableException=12}. */
  Map<String, Long> errors() {
    return byClient.values().stream().flatMap(List::stream).filter(op -> !op.acknowledged())
        .collect(Collectors.groupingBy(LoggedOp::error, TreeMap::new, Collectors.counting()));
  }

  private String longestOperations() {
    return byClient.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().stream()
            .mapToLong(LoggedOp::latencyMicros).max().orElse(0) / 1000 + "ms")
        .collect(Collectors.joining(","));
  }

  String summary() {
    long exceptions = errors().values().stream().mapToLong(Long::longValue).sum();
    return String.format("scenario=%s acked=%d exceptions=%d longestOp=%s | increments acked=%d failed=%d"
            + " lost=%d extra=%d duplicates=%d regressions=%d | reads=%d stale=%d resurrected=%d phantom=%d"
            + " finalWrong=%d", scenario, acknowledged(), exceptions, longestOperations(), counters.acked,
        counters.failed, counters.lost, counters.extra, counters.duplicates, counters.regressions,
        registers.reads, registers.stale, registers.resurrected, registers.phantom, registers.finalWrong);
  }

  /** Errors, each client's final view and stderr volume, and samples of whatever went wrong. */
  String details() {
    StringBuilder out = new StringBuilder("  ").append(scenario).append(" details: errors=").append(errors());
    views.forEach((client, view) -> out.append(String.format("%n    %s: %s stderrLines=%d", client, view,
        stderrLines.get(client))));
    counters.samples.forEach(s -> out.append(String.format("%n    counter: %s", s)));
    registers.samples.forEach(s -> out.append(String.format("%n    register: %s", s)));
    return out.toString();
  }

  void assertNothingBroken() {
    String where = scenario + " " + counters.samples + " " + registers.samples;
    assertAll(scenario,
        () -> assertTrue(acknowledged() >= MIN_ACKNOWLEDGED, scenario + ": the load ran (" + acknowledged() + ")"),
        () -> assertEquals(0, counters.lost, "acknowledged increments lost: " + where),
        () -> assertEquals(0, counters.extra, "increments counted that were never attempted: " + where),
        () -> assertEquals(0, counters.duplicates, "increment results handed out twice: " + where),
        () -> assertEquals(0, counters.regressions, "counters that went back: " + where),
        () -> assertEquals(0, registers.stale, "reads older than an acknowledged write: " + where),
        () -> assertEquals(0, registers.resurrected, "reads of acknowledged deletes: " + where),
        () -> assertEquals(0, registers.phantom, "reads of values never written: " + where),
        () -> assertEquals(0, registers.finalWrong,
            "registers a fresh client reads in a state other than the last acknowledged: " + where));
  }
}
