package io.memjcache.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When a timeout is excused as this JVM's own stall: pure logic on a hand-moved clock. */
class PauseDetectorTest {

  private long nowMillis = 1_000;
  private final PauseDetector detector = new PauseDetector(() -> TimeUnit.MILLISECONDS.toNanos(nowMillis));

  private void tickAfter(long millis) {
    nowMillis += millis;
    detector.tick();
  }

  private static long nanos(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void ticksOnTimeAreNoPause() {
    long start = nanos(nowMillis);
    for (int i = 0; i < 50; i++) {
      tickAfter(PauseDetector.TICK_MILLIS + 30);
    }
    assertFalse(detector.stalledSince(start));
    assertEquals(0, detector.pauses());
  }

  @Test
  void aLateTickIsAPauseThatExcusesWhatWasInFlightAcrossIt() {
    long before = nanos(nowMillis);
    tickAfter(PauseDetector.TICK_MILLIS);
    tickAfter(2_000); // SIGSTOP or a GC pause of 2 s
    long after = nanos(nowMillis) + 1;
    tickAfter(PauseDetector.TICK_MILLIS);
    assertEquals(1, detector.pauses());
    assertTrue(detector.stalledSince(before), "an operation that started before the pause");
    assertFalse(detector.stalledSince(after), "an operation that started after it");
  }

  @Test
  void aTickerThatIsItselfLateCountsAsAPauseInProgress() {
    long start = nanos(nowMillis);
    tickAfter(PauseDetector.TICK_MILLIS);
    nowMillis += PauseDetector.TICK_MILLIS + PauseDetector.PAUSE_MILLIS + 1; // the waiter woke first
    assertTrue(detector.stalledSince(start));
    assertEquals(0, detector.pauses(), "counted only once the ticker runs again");
  }

  @Test
  void aLateTickBelowTheThresholdIsNoPause() {
    long start = nanos(nowMillis);
    tickAfter(PauseDetector.TICK_MILLIS + PauseDetector.PAUSE_MILLIS - 1);
    assertFalse(detector.stalledSince(start));
  }
}
