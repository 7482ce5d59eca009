package io.memjcache.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The judges of the paused-clients suite on hand-made logs, without a server: each kind of damage
 * is counted, and what is legitimate (an in-flight or failed write, a failed increment) is not.
 */
class OperationAuditsTest {

  private static LoggedOp op(String line) {
    return LoggedOp.parse(line);
  }

  @Test
  void aLogLineRoundTripsAndAMalformedOneIsAnErrorNamingIt() {
    LoggedOp failed = new LoggedOp('W', "r0.1.7", 10, 20, 12, "CacheException/NodeUnavailableException");
    assertEquals(failed, LoggedOp.parse(failed.line()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoggedOp.parse("W r0 1 2"));
    assertEquals("malformed operation log line: 'W r0 1 2'", e.getMessage());
  }

  @Test
  void countersCountLostDuplicateAndRegressedResults() {
    List<LoggedOp> ops = List.of(op("I c0 0 10 1 ok"), op("I c0 20 30 2 ok"), op("I c0 40 50 3 ok"),
        op("I c0 60 70 1 ok")); // the counter lost its history and handed out 1 again
    CounterAudit audit = CounterAudit.judge(List.of("c0"), ops, Map.of("c0", 2L));
    assertEquals(4, audit.acked);
    assertEquals(1, audit.duplicates);
    assertEquals(1, audit.regressions);
    assertEquals(2, audit.lost);
    assertEquals(0, audit.extra);
  }

  @Test
  void countersAcceptFailedIncrementsEitherWayButNoMore() {
    List<LoggedOp> ops = List.of(op("I c0 0 10 1 ok"), op("I c0 20 30 -1 x:CacheException"),
        op("I c0 25 35 2 ok")); // overlapping: either order is fine
    assertEquals(0, CounterAudit.judge(List.of("c0"), ops, Map.of("c0", 3L)).extra);
    assertEquals(0, CounterAudit.judge(List.of("c0"), ops, Map.of("c0", 2L)).lost);
    CounterAudit tooMany = CounterAudit.judge(List.of("c0"), ops, Map.of("c0", 4L));
    assertEquals(1, tooMany.extra);
    assertEquals(0, tooMany.duplicates + tooMany.regressions + tooMany.lost);
  }

  @Test
  void aReadMayReturnTheLastAcknowledgedStateOrAnyWriteInFlightOrFailed() {
    List<LoggedOp> ops = List.of(op("W r0.0.0 0 10 1 ok"), op("W r0.0.0 20 30 2 x:CacheException"),
        op("W r0.0.0 40 60 3 ok"),
        op("R r0.0.0 35 38 1 ok"), // 2 failed: 1 or 2 may be there
        op("R r0.0.0 36 39 2 ok"),
        op("R r0.0.0 45 50 3 ok"), // 3 in flight
        op("R r0.0.0 45 50 1 ok"));
    RegisterAudit audit = RegisterAudit.judge(ops, Map.of("r0.0.0", 3L));
    assertEquals(4, audit.reads);
    assertEquals(0, audit.stale + audit.resurrected + audit.phantom + audit.finalWrong, audit.samples.toString());
  }

  @Test
  void readsOlderThanAnAcknowledgedWriteAreStaleAfterADeleteResurrectedAndUnwrittenPhantom() {
    List<LoggedOp> ops = List.of(op("W r0.0.0 0 10 1 ok"), op("W r0.0.0 20 30 2 ok"),
        op("R r0.0.0 31 32 1 ok"), // stale
        op("R r0.0.0 33 34 -1 ok"), // a miss after an acknowledged write: stale too
        op("D r0.0.0 40 50 -1 ok"),
        op("R r0.0.0 51 52 2 ok"), // resurrected
        op("R r0.0.0 53 54 7 ok")); // never written
    RegisterAudit audit = RegisterAudit.judge(ops, Map.of("r0.0.0", 2L));
    assertEquals(2, audit.stale);
    assertEquals(1, audit.resurrected);
    assertEquals(1, audit.phantom);
    assertEquals(1, audit.finalWrong, "the final read must find the acknowledged delete");
  }
}
