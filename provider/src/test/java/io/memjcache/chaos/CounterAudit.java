package io.memjcache.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges the shared {@code invoke} counters of a run from every client's log and the final values a
 * fresh client reads:
 * <ul>
 *   <li><b>duplicate</b>: a result handed out by two acknowledged increments (each increment is one
 *       atomic step, so results are distinct);
 *   <li><b>regression</b>: an acknowledged increment whose result is not above one acknowledged
 *       before it started (the counter went back: its history was lost);
 *   <li><b>lost</b>: the final value below the number of acknowledged increments;
 *   <li><b>extra</b>: the final value above acknowledged plus failed increments (a failed one may or
 *       may not have counted).
 * </ul>
 */
final class CounterAudit {

  private static final int SAMPLES = 5;

  long acked;
  long failed;
  long duplicates;
  long regressions;
  long lost;
  long extra;
  final List<String> samples = new ArrayList<>();

  static CounterAudit judge(List<String> counters, List<LoggedOp> operations, Map<String, Long> finals) {
    CounterAudit audit = new CounterAudit();
    for (String counter : counters) {
      List<LoggedOp> ok = new ArrayList<>();
      long failures = 0;
      for (LoggedOp op : operations) {
        if (op.kind() == LoggedOp.INCREMENT && op.key().equals(counter)) {
          if (op.acknowledged()) {
            ok.add(op);
          } else {
            failures++;
          }
        }
      }
      audit.judge(counter, ok, failures, finals.get(counter));
    }
    return audit;
  }

  private void judge(String counter, List<LoggedOp> ok, long failures, Long finalRead) {
    acked += ok.size();
    failed += failures;
    Set<Long> seen = new HashSet<>();
    for (LoggedOp op : ok) {
      if (!seen.add(op.value())) {
        duplicates++;
        sample(counter + ": result " + op.value() + " handed out twice (again at " + op.startMicros() + "us)");
      }
    }
    countRegressions(counter, ok);
    long value = finalRead == null ? 0 : finalRead;
    if (value < ok.size()) {
      lost += ok.size() - value;
      sample(counter + ": reads " + value + " after " + ok.size() + " acknowledged increments");
    } else if (value > ok.size() + failures) {
      extra += value - ok.size() - failures;
      sample(counter + ": reads " + value + " after " + ok.size() + " acknowledged and " + failures + " failed");
    }
  }

  /** Sweeps increments by start time against the highest result acknowledged before each start. */
  private void countRegressions(String counter, List<LoggedOp> ok) {
    List<LoggedOp> byEnd = new ArrayList<>(ok);
    byEnd.sort(Comparator.comparingLong(LoggedOp::endMicros));
    List<LoggedOp> byStart = new ArrayList<>(ok);
    byStart.sort(Comparator.comparingLong(LoggedOp::startMicros));
    long highest = 0;
    int ended = 0;
    for (LoggedOp op : byStart) {
      while (ended < byEnd.size() && byEnd.get(ended).endMicros() < op.startMicros()) {
        highest = Math.max(highest, byEnd.get(ended++).value());
      }
      if (op.value() <= highest) {
        regressions++;
        sample(counter + ": increment at " + op.startMicros() + "us returned " + op.value() + ", but "
            + highest + " was acknowledged before it started");
      }
    }
  }

  private void sample(String s) {
    if (samples.size() < SAMPLES) {
      samples.add(s);
    }
  }
}
