package io.memjcache.bench.contended;

import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * One case of the contended benchmark, measured: every writer's result, the counter read back after
 * the writers ended, and the servers' CAS conflicts ({@code cas_badval}: a {@code cas} refused because
 * the item changed since its {@code gets}) counted over the whole case, warm-up included.
 */
record CaseOutcome(int round, int jvms, int threads, long measureMillis, List<WriterResult> writers,
    long finalCount, long casConflicts) {

  /** The header of {@link #row()}. */
  static final String HEADER = String.format(Locale.ROOT, "%-5s %-6s %7s %11s %6s %7s %8s %8s %12s %s",
      "round", "case", "writers", "invokes/s", "÷ 1x1", "fair", "slowest", "fastest", "conflicts/op", "exactness");

  String name() {
    return jvms + "x" + threads;
  }

  long measured() {
    return writers.stream().mapToLong(WriterResult::measured).sum();
  }

  long acked() {
    return writers.stream().mapToLong(WriterResult::acked).sum();
  }

  long errors() {
    return writers.stream().mapToLong(WriterResult::errors).sum();
  }

  double invokesPerSecond() {
    return measured() * 1000.0 / measureMillis;
  }

  /** The smallest share of the measured increments one writer made, 0 to 1. */
  double slowestShare() {
    return writers.stream().mapToLong(WriterResult::measured).min().orElse(0) / (double) Math.max(1, measured());
  }

  double fastestShare() {
    return writers.stream().mapToLong(WriterResult::measured).max().orElse(0) / (double) Math.max(1, measured());
  }

  /**
   * Empty when the counter is exactly what the writers were told: every acknowledged increment
   * counted once (an invoke that threw may or may not have been applied, so each error widens the
   * range by one), each writer's results increasing, and every writer progressing while measured.
   */
  String failure() {
    StringJoiner why = new StringJoiner("; ");
    if (finalCount < acked() || finalCount > acked() + errors()) {
      why.add("counter " + finalCount + " but " + acked() + " increments acknowledged"
          + (errors() > 0 ? " (+ up to " + errors() + " that threw)" : ""));
    }
    long regressions = writers.stream().mapToLong(WriterResult::regressions).sum();
    if (regressions > 0) {
      why.add(regressions + " invoke results not above the same writer's previous one");
    }
    long starved = writers.stream().filter(w -> w.measured() == 0).count();
    if (starved > 0) {
      why.add(starved + " writer(s) made no increment while measured");
    }
    return why.toString();
  }

  /** One line of the summary; {@code baseline} is the same round's 1x1 rate (0 if not run). */
  String row(double baseline) {
    String exactness = failure().isEmpty()
        ? "ok: counter " + finalCount + " = " + acked() + " acknowledged" + (errors() > 0 ? ", " + errors()
            + " threw" : "")
        : "FAILED: " + failure();
    return String.format(Locale.ROOT, "%-5d %-6s %7d %11.0f %6s %6.1f%% %7.1f%% %7.1f%% %12.2f %s", round,
        name(), writers.size(), invokesPerSecond(), baseline > 0 ? String.format(Locale.ROOT, "%.2f",
            invokesPerSecond() / baseline) : "-", 100.0 / writers.size(), 100 * slowestShare(), 100 * fastestShare(),
        casConflicts / (double) Math.max(1, acked()), exactness);
  }
}
