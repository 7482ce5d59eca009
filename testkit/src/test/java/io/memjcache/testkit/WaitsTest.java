package io.memjcache.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A wait returns as soon as its condition holds, fails naming what it waited for at its deadline
 * (not before), and a wait for a moment ends only once the clock is past it.
 */
class WaitsTest {

  @Test
  void untilReturnsOnceTheConditionHolds() {
    AtomicInteger polls = new AtomicInteger();
    Waits.until("the third poll", Duration.ofSeconds(10), () -> polls.incrementAndGet() == 3);
    assertEquals(3, polls.get());
  }

  @Test
  void untilFailsAtTheDeadlineNamingWhatItWaitedFor() {
    long start = System.nanoTime();
    AssertionError e = assertThrows(AssertionError.class,
        () -> Waits.until("the moon to turn blue", Duration.ofMillis(100), () -> false));
    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(e.getMessage().contains("the moon to turn blue"), e.getMessage());
    assertTrue(e.getMessage().contains("100 ms"), e.getMessage());
    assertTrue(waitedMillis >= 100, "gave up after " + waitedMillis + " ms");
  }

  @Test
  void pastReturnsOnlyOnceTheClockIsPastTheMoment() {
    long moment = System.currentTimeMillis() + 120;
    Waits.past(moment);
    assertTrue(System.currentTimeMillis() > moment);
  }
}
