package io.memjcache.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.codec.Envelope;
import java.util.concurrent.TimeUnit;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.Test;

class ExpiryTimesTest {

  static final long NOW = 1_795_000_000_123L; // a wall-clock time in 2026, in ms

  private static int exptimeFor(long amount, TimeUnit unit) {
    return ExpiryTimes.exptime(ExpiryTimes.expiresAt(new Duration(unit, amount), NOW), NOW);
  }

  @Test
  void subSecondDurationsRoundUpToWholeSecondsPlusTheTickMargin() {
    assertEquals(2, exptimeFor(1, TimeUnit.MILLISECONDS));
    assertEquals(2, exptimeFor(999, TimeUnit.MILLISECONDS));
    assertEquals(2, exptimeFor(1000, TimeUnit.MILLISECONDS));
    assertEquals(3, exptimeFor(1001, TimeUnit.MILLISECONDS));
    assertEquals(NOW + 5, ExpiryTimes.expiresAt(new Duration(TimeUnit.MILLISECONDS, 5), NOW));
  }

  @Test
  void upToThirtyDaysTheExptimeIsRelative() {
    assertEquals(ExpiryTimes.MAX_RELATIVE_SECONDS, exptimeFor(ExpiryTimes.MAX_RELATIVE_SECONDS - 1, TimeUnit.SECONDS));
  }

  @Test
  void exactlyThirtyDaysNeedsTheMarginSoItBecomesAbsolute() {
    long expiresAt = NOW + TimeUnit.DAYS.toMillis(30);
    assertEquals((expiresAt + 999) / 1000 + 1, exptimeFor(30, TimeUnit.DAYS));
  }

  @Test
  void beyondThirtyDaysIsAnAbsoluteUnixTimeRoundedUp() {
    long expiresAt = NOW + TimeUnit.DAYS.toMillis(30) + 1000;
    assertEquals((expiresAt + 999) / 1000 + 1, exptimeFor(TimeUnit.DAYS.toSeconds(30) + 1, TimeUnit.SECONDS));
    long year = NOW + TimeUnit.DAYS.toMillis(365);
    assertEquals((year + 999) / 1000 + 1, exptimeFor(365, TimeUnit.DAYS));
  }

  @Test
  void absoluteTimesPastTheProtocolsFieldAreSentAsNoExpiry() {
    assertEquals(0, exptimeFor(100 * 365, TimeUnit.DAYS)); // year 2126 does not fit 2^31-1 seconds
  }

  @Test
  void eternalAndOverflowingDurationsNeverExpire() {
    assertEquals(Envelope.ETERNAL, ExpiryTimes.expiresAt(Duration.ETERNAL, NOW));
    assertEquals(0, ExpiryTimes.exptime(Envelope.ETERNAL, NOW));
    assertEquals(Envelope.ETERNAL, ExpiryTimes.expiresAt(new Duration(TimeUnit.DAYS, Long.MAX_VALUE), NOW));
    assertEquals(Envelope.ETERNAL, ExpiryTimes.expiresAt(new Duration(TimeUnit.MILLISECONDS, Long.MAX_VALUE - 10), NOW));
  }

  @Test
  void zeroExpiresAtOnceAndCannotBeStored() {
    assertEquals(NOW, ExpiryTimes.expiresAt(Duration.ZERO, NOW));
    assertThrows(IllegalArgumentException.class, () -> ExpiryTimes.exptime(NOW, NOW));
    assertThrows(IllegalArgumentException.class, () -> ExpiryTimes.exptime(NOW - 1, NOW));
  }

  @Test
  void theExptimeAlwaysOutlastsTheDurationByLessThanTwoSeconds() {
    for (long ms = 1; ms < 5_000; ms += 7) {
      int exptime = ExpiryTimes.exptime(NOW + ms, NOW);
      // the worst case: set just before a server tick, so the first second is almost nothing
      long guaranteedMillis = (exptime - 1) * 1000L;
      assertTrue(guaranteedMillis >= ms && guaranteedMillis < ms + 1000, "ms=" + ms + " exptime=" + exptime);
    }
  }
}
