package io.memjcache.bench.bulk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text summary of a run ({@code benchmarks/results/bulk.txt}): per size and operation the median
 * run (time, entries per second), the spread of the rate, the client heap at its worst over the
 * runs, the keys the listing read, and any node the client suspected or marked down; then what the
 * servers held and evicted.
 */
final class BulkSummary {

  private static final String ROW = "%-8s %-16s %8s %11s %13s %9s %8s %12s %9s%n";

  private BulkSummary() {}

  static String render(List<String> header, List<SizeOutcome> outcomes) {
    StringBuilder text = new StringBuilder();
    header.forEach(line -> text.append(line).append('\n'));
    text.append('\n').append(String.format(Locale.ROOT, ROW, "size", "operation", "median", "entries/s",
        "entries/s", "peak heap", "live", "keys listed", "suspected"));
    text.append(String.format(Locale.ROOT, ROW, "", "", "ms", "(median)", "(min-max)", "MB", "MB",
        "(median)", "/down"));
    for (SizeOutcome outcome : outcomes) {
      byOp(outcome.results()).forEach((op, runs) -> text.append(row(outcome.size(), op, runs)));
    }
    text.append('\n');
    for (SizeOutcome outcome : outcomes) {
      text.append(serverLine(outcome)).append('\n');
    }
    return text.toString();
  }

  private static String row(int size, String op, List<RunResult> runs) {
    List<RunResult> sorted = new ArrayList<>(runs);
    sorted.sort((a, b) -> Long.compare(a.micros(), b.micros()));
    RunResult median = sorted.get((sorted.size() - 1) / 2);
    double slowest = sorted.get(sorted.size() - 1).entriesPerSecond();
    double fastest = sorted.get(0).entriesPerSecond();
    List<Long> listed = runs.stream().map(RunResult::keysListed).sorted().toList();
    return String.format(Locale.ROOT, ROW, size, op, String.format(Locale.ROOT, "%.0f", median.micros() / 1000.0),
        String.format(Locale.ROOT, "%.0f", median.entriesPerSecond()),
        String.format(Locale.ROOT, "%.0f-%.0f", slowest, fastest),
        String.format(Locale.ROOT, "%.0f", runs.stream().mapToDouble(RunResult::peakMb).max().orElse(0)),
        String.format(Locale.ROOT, "%.0f", runs.stream().mapToDouble(RunResult::liveMb).max().orElse(0)),
        listed.get((listed.size() - 1) / 2),
        runs.stream().mapToLong(RunResult::suspicions).sum() + "/"
            + runs.stream().mapToLong(RunResult::markedDown).sum());
  }

  private static String serverLine(SizeOutcome outcome) {
    List<RunResult> results = outcome.results();
    String load = results.isEmpty() ? "" : String.format(Locale.ROOT, "; first load (putAll of 1000) %d ms",
        results.get(0).loadMs());
    String state = outcome.failure().isEmpty() ? "" : "; FAILED: " + outcome.failure();
    return String.format(Locale.ROOT, "size %d: evictions %d (all nodes), items at the end %d, memory for"
        + " items on the busiest node %d MB%s%s", outcome.size(), outcome.evictions(), outcome.sumOf("curr_items"),
        outcome.maxServerMb(), load, state);
  }

  private static Map<String, List<RunResult>> byOp(List<RunResult> results) {
    Map<String, List<RunResult>> byOp = new LinkedHashMap<>();
    results.forEach(result -> byOp.computeIfAbsent(result.op(), op -> new ArrayList<>()).add(result));
    return byOp;
  }
}
