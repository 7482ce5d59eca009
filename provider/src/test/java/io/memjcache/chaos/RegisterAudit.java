package io.memjcache.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges every read of a single-writer register, from every client's log, against its writer's log
 * (each register is written and deleted by one thread of one client only, with growing sequence
 * numbers). A read that started at S and ended at E may return the state left by the writer's last
 * operation acknowledged before S, or by any of its operations that started before E (in flight, or
 * failed and so possibly applied). Anything else is:
 * <ul>
 *   <li><b>resurrected</b>: a value, while the last acknowledged operation before the read was a delete;
 *   <li><b>stale</b>: an older value, or a miss, while an acknowledged write was the last;
 *   <li><b>phantom</b>: a value no write had attempted by then.
 * </ul>
 * The final read of every register through a fresh client is judged the same way, after everything.
 */
final class RegisterAudit {

  private static final int SAMPLES = 5;

  long reads;
  long stale;
  long resurrected;
  long phantom;
  long finalWrong;
  final List<String> samples = new ArrayList<>();
  private final Map<String, List<LoggedOp>> writes = new HashMap<>();

  static RegisterAudit judge(List<LoggedOp> operations, Map<String, Long> finals) {
    RegisterAudit audit = new RegisterAudit();
    for (LoggedOp op : operations) {
      if (op.kind() == LoggedOp.WRITE || op.kind() == LoggedOp.DELETE) {
        audit.writes.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
      }
    }
    audit.writes.values().forEach(ops -> ops.sort(Comparator.comparingLong(LoggedOp::startMicros)));
    for (LoggedOp op : operations) {
      if (op.kind() == LoggedOp.READ && op.acknowledged()) {
        audit.reads++;
        audit.count(audit.judge(op.key(), op.startMicros(), op.endMicros(), op.value()), op);
      }
    }
    finals.forEach((key, value) -> {
      if (audit.judge(key, Long.MAX_VALUE, Long.MAX_VALUE, value) != Verdict.OK) {
        audit.finalWrong++;
        audit.sample(key + ": a fresh client reads " + value + " at the end; writer's last "
            + audit.around(key, Long.MAX_VALUE));
      }
    });
    return audit;
  }

  private enum Verdict { OK, STALE, RESURRECTED, PHANTOM }

  private Verdict judge(String key, long start, long end, long value) {
    List<LoggedOp> ops = writes.getOrDefault(key, List.of());
    int last = -1; // the writer's last operation acknowledged before the read started
    for (int j = 0; j < ops.size() && ops.get(j).endMicros() < start; j++) {
      if (ops.get(j).acknowledged()) {
        last = j;
      }
    }
    long highest = LoggedOp.ABSENT;
    boolean allowed = value == (last < 0 ? LoggedOp.ABSENT : ops.get(last).value());
    for (int j = last + 1; j < ops.size() && ops.get(j).startMicros() < end; j++) {
      allowed |= ops.get(j).value() == value;
    }
    for (int j = 0; j < ops.size() && ops.get(j).startMicros() < end; j++) {
      highest = Math.max(highest, ops.get(j).value());
    }
    if (allowed) {
      return Verdict.OK;
    }
    if (value > highest) {
      return Verdict.PHANTOM;
    }
    return last >= 0 && ops.get(last).kind() == LoggedOp.DELETE ? Verdict.RESURRECTED : Verdict.STALE;
  }

  private void count(Verdict verdict, LoggedOp read) {
    switch (verdict) {
      case OK -> {
        return;
      }
      case STALE -> stale++;
      case RESURRECTED -> resurrected++;
      case PHANTOM -> phantom++;
    }
    sample(verdict + " " + read.line() + "; writer's operations then: " + around(read.key(), read.startMicros()));
  }

  /** The writer's operations around a moment: the two before it and the two after. */
  private String around(String key, long micros) {
    List<LoggedOp> ops = writes.getOrDefault(key, List.of());
    int at = 0;
    while (at < ops.size() && ops.get(at).startMicros() < micros) {
      at++;
    }
    return ops.subList(Math.max(0, at - 2), Math.min(ops.size(), at + 2)).stream().map(LoggedOp::line)
        .toList().toString();
  }

  private void sample(String s) {
    if (samples.size() < SAMPLES) {
      samples.add(s);
    }
  }
}
