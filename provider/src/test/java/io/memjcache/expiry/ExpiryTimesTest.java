package io.memjcache.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.codec.Envelope;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic from a JCache {@link Duration} to the envelope's absolute millisecond expiry and
 * from that to the exptime memcached gets (protocol.txt, "Expiration times").
 *
 * <p>The exptime is the remaining time rounded up to whole seconds <em>plus one second</em>
 * ({@link ExpiryTimes#TICK_MARGIN_SECONDS}): memcached's clock advances in whole-second ticks, so
 * an item stored with exptime n just before a tick is dropped after n - 1 seconds and a bit.
 * {@code ExpiryIntegrationTest.memcachedsClockDropsAnItemUpToASecondBeforeItsExptime} shows that
 * on a real server. The expected numbers below are written out, not computed with the constant.
 */
class ExpiryTimesTest {

  /** A wall-clock time with a sub-second part, in ms: 2026-11-18T11:06:40.123Z. */
  static final long NOW = 1_795_000_000_123L;
  static final long DAY = TimeUnit.DAYS.toMillis(1);
  static final int THIRTY_DAYS_SECONDS = 2_592_000;

  private static long expiresAt(long amount, TimeUnit unit) {
    return ExpiryTimes.expiresAt(new Duration(unit, amount), NOW);
  }

  private static int exptimeFor(long amount, TimeUnit unit) {
    return ExpiryTimes.exptime(expiresAt(amount, unit), NOW);
  }

  /** ceil(ms / 1000) for positive ms, written plainly. */
  private static long ceilSeconds(long ms) {
    return (ms + 999) / 1000;
  }

  // ------------------------------------------------------------------ durations to ms expiry

  @Test
  void aDurationEndsExactlyThatManyMillisecondsFromNow() {
    assertEquals(NOW + 1, expiresAt(1, TimeUnit.MILLISECONDS));
    assertEquals(NOW + 300, expiresAt(300, TimeUnit.MILLISECONDS));
    assertEquals(NOW + 20_000, expiresAt(20, TimeUnit.SECONDS));
    assertEquals(NOW + 30 * DAY, expiresAt(30, TimeUnit.DAYS));
    assertEquals(NOW + 365 * DAY, expiresAt(365, TimeUnit.DAYS));
  }

  @Test
  void durationsFinerThanMillisecondsCannotBeMade() {
    // so no sub-millisecond amount is ever truncated to "expired now"
    assertThrows(IllegalArgumentException.class, () -> new Duration(TimeUnit.MICROSECONDS, 999));
    assertThrows(IllegalArgumentException.class, () -> new Duration(TimeUnit.NANOSECONDS, 1));
  }

  @Test
  void eternalIsTheEnvelopesEternalSentinel() {
    assertEquals(Envelope.ETERNAL, ExpiryTimes.expiresAt(Duration.ETERNAL, NOW));
    assertEquals(Long.MAX_VALUE, Envelope.ETERNAL);
  }

  @Test
  void zeroExpiresNow() {
    assertEquals(NOW, ExpiryTimes.expiresAt(Duration.ZERO, NOW));
    assertEquals(NOW, expiresAt(0, TimeUnit.DAYS));
  }

  @Test
  void hugeDurationsDoNotOverflowButBecomeEternal() {
    // TimeUnit.toMillis saturates at Long.MAX_VALUE instead of throwing
    assertEquals(Envelope.ETERNAL, expiresAt(Long.MAX_VALUE, TimeUnit.DAYS));
    assertEquals(Envelope.ETERNAL, expiresAt(Long.MAX_VALUE, TimeUnit.HOURS));
    assertEquals(Envelope.ETERNAL, expiresAt(Long.MAX_VALUE, TimeUnit.SECONDS));
    assertEquals(Envelope.ETERNAL, expiresAt(Long.MAX_VALUE, TimeUnit.MILLISECONDS));
    assertEquals(Envelope.ETERNAL, expiresAt(Long.MAX_VALUE / 2, TimeUnit.DAYS));
    // now + millis overflows to a negative number: eternal, never "expired long ago"
    assertEquals(Envelope.ETERNAL, expiresAt(Long.MAX_VALUE - 10, TimeUnit.MILLISECONDS));
    assertEquals(Envelope.ETERNAL, expiresAt(Long.MAX_VALUE - NOW + 1, TimeUnit.MILLISECONDS));
    // the largest duration that still fits is a (far) finite time, and memcached then gets 0
    long largest = Long.MAX_VALUE - NOW - 1;
    assertEquals(Long.MAX_VALUE - 1, expiresAt(largest, TimeUnit.MILLISECONDS));
    assertEquals(0, exptimeFor(largest, TimeUnit.MILLISECONDS));
    // Long.MAX_VALUE / 1000 seconds (about 292 million years): eternal, no overflow either
    assertEquals(Envelope.ETERNAL, expiresAt(Long.MAX_VALUE / 1000, TimeUnit.SECONDS));
    // 300 years: finite, past 2038, exptime 0
    long centuries = expiresAt(300 * 365, TimeUnit.DAYS);
    assertEquals(NOW + 300 * 365 * DAY, centuries);
    assertEquals(0, ExpiryTimes.exptime(centuries, NOW));
  }

  // ------------------------------------------------------------------ ms expiry to exptime

  @Test
  void subSecondDurationsRoundUpToAWholeSecondPlusTheTickMargin() {
    assertEquals(2, exptimeFor(1, TimeUnit.MILLISECONDS));
    assertEquals(2, exptimeFor(300, TimeUnit.MILLISECONDS));
    assertEquals(2, exptimeFor(999, TimeUnit.MILLISECONDS));
    assertEquals(2, exptimeFor(1000, TimeUnit.MILLISECONDS));
    assertEquals(3, exptimeFor(1001, TimeUnit.MILLISECONDS));
    assertEquals(3, exptimeFor(1999, TimeUnit.MILLISECONDS));
    assertEquals(22, exptimeFor(20_300, TimeUnit.MILLISECONDS));
  }

  @Test
  void theRemainingTimeIsWhatCountsNotTheCreationTime() {
    long expiresAt = NOW + 5_000;
    assertEquals(6, ExpiryTimes.exptime(expiresAt, NOW));
    assertEquals(6, ExpiryTimes.exptime(expiresAt, NOW + 999));
    assertEquals(5, ExpiryTimes.exptime(expiresAt, NOW + 1000));
    assertEquals(2, ExpiryTimes.exptime(expiresAt, NOW + 4_999));
  }

  @Test
  void theLargestRelativeExptimeIsThirtyDays() {
    assertEquals(THIRTY_DAYS_SECONDS, ExpiryTimes.MAX_RELATIVE_SECONDS);
    // 30 days minus one second, plus the margin: exactly 2,592,000, still relative
    assertEquals(THIRTY_DAYS_SECONDS, exptimeFor(THIRTY_DAYS_SECONDS - 1, TimeUnit.SECONDS));
    assertEquals(THIRTY_DAYS_SECONDS, exptimeFor(30 * DAY - 1000, TimeUnit.MILLISECONDS));
    assertEquals(THIRTY_DAYS_SECONDS - 1, exptimeFor(THIRTY_DAYS_SECONDS - 2, TimeUnit.SECONDS));
  }

  @Test
  void exactlyThirtyDaysIsSentAsAnAbsoluteUnixTimeBecauseOfTheMargin() {
    // ceil(2,592,000 s) + 1 = 2,592,001 would be read as a date in January 1970, so it is absolute
    long expiresAt = NOW + 30 * DAY;
    assertEquals(ceilSeconds(expiresAt) + 1, exptimeFor(30, TimeUnit.DAYS));
    // 999 ms short of 30 days still rounds up to 2,592,000 s, so it is absolute too
    long almost = NOW + 30 * DAY - 999;
    assertEquals(ceilSeconds(almost) + 1, exptimeFor(30 * DAY - 999, TimeUnit.MILLISECONDS));
    assertTrue(exptimeFor(30, TimeUnit.DAYS) > THIRTY_DAYS_SECONDS);
  }

  @Test
  void beyondThirtyDaysTheExptimeIsTheAbsoluteUnixTimeRoundedUp() {
    long expiresAt = NOW + 30 * DAY + 1000;
    int exptime = exptimeFor(THIRTY_DAYS_SECONDS + 1, TimeUnit.SECONDS);
    assertEquals(ceilSeconds(expiresAt) + 1, exptime);
    // NOW has a .123 s part: rounding up makes it the next whole second, never the one before
    assertEquals(NOW / 1000 + 30 * 86_400 + 1 + 1 + 1, exptime);
    assertEquals(Instant.ofEpochMilli(expiresAt).getEpochSecond() + 2, exptime);

    long year = NOW + 365 * DAY;
    assertEquals(ceilSeconds(year) + 1, exptimeFor(365, TimeUnit.DAYS));
    long fortyDays = NOW + 40 * DAY;
    assertEquals(ceilSeconds(fortyDays) + 1, exptimeFor(40, TimeUnit.DAYS));
  }

  @Test
  void anAbsoluteTimeOnAWholeSecondIsNotRoundedFurther() {
    long now = 1_795_000_000_000L;
    assertEquals(1_795_000_000L + 40 * 86_400 + 1,
        ExpiryTimes.exptime(ExpiryTimes.expiresAt(new Duration(TimeUnit.DAYS, 40), now), now));
  }

  @Test
  void absoluteTimesPastTheProtocols32BitFieldAreSentAsNoExpiry() {
    int max = Integer.MAX_VALUE; // 2038-01-19T03:14:07Z
    // the last representable second: ceil + margin == 2^31 - 1
    assertEquals(max, ExpiryTimes.exptime((max - 1L) * 1000, NOW));
    // one millisecond later rounds up past it: 0, memcached keeps it and the envelope expires it
    assertEquals(0, ExpiryTimes.exptime((max - 1L) * 1000 + 1, NOW));
    assertEquals(0, ExpiryTimes.exptime((long) max * 1000, NOW));
    assertEquals(0, exptimeFor(100 * 365, TimeUnit.DAYS)); // 2126
    assertEquals(0, ExpiryTimes.exptime(Long.MAX_VALUE - 1, NOW));
    assertEquals(0, ExpiryTimes.exptime(Long.MAX_VALUE - 1, 0));
  }

  @Test
  void eternalIsExptimeZero() {
    assertEquals(0, ExpiryTimes.exptime(Envelope.ETERNAL, NOW));
    assertEquals(0, ExpiryTimes.exptime(ExpiryTimes.expiresAt(Duration.ETERNAL, NOW), NOW));
    assertEquals(0, ExpiryTimes.exptime(ExpiryTimes.expiresAt(Duration.ETERNAL, NOW), Long.MAX_VALUE - 1));
  }

  @Test
  void anEntryThatHasExpiredHasNoExptimeAndMustNotBeStored() {
    long zero = ExpiryTimes.expiresAt(Duration.ZERO, NOW);
    assertEquals(NOW, zero);
    assertThrows(IllegalArgumentException.class, () -> ExpiryTimes.exptime(zero, NOW));
    assertThrows(IllegalArgumentException.class, () -> ExpiryTimes.exptime(NOW - 1, NOW));
    assertThrows(IllegalArgumentException.class, () -> ExpiryTimes.exptime(NOW - 40 * DAY, NOW));
    assertThrows(IllegalArgumentException.class, () -> ExpiryTimes.exptime(NOW + 5, NOW + 6));
  }

  @Test
  void theExptimeIsNeverRoundedDown() {
    SplittableRandom random = new SplittableRandom(107);
    for (int i = 0; i < 200_000; i++) {
      long now = NOW + random.nextLong(0, 1000); // every sub-second phase of the clock
      long remaining = i < 100_000
          ? random.nextLong(1, 10_000) // short ones, densely
          : random.nextLong(1, 400 * DAY); // and across the 30-day switch
      long expiresAt = now + remaining;
      int exptime = ExpiryTimes.exptime(expiresAt, now);
      if (exptime <= THIRTY_DAYS_SECONDS) {
        // relative: the server's clock may tick right after the write, so only exptime - 1
        // whole seconds are certain; they must cover the remaining time
        assertTrue((exptime - 1) * 1000L >= remaining, () -> "remaining " + remaining + " exptime " + exptime);
        assertTrue((exptime - 2) * 1000L < remaining, () -> "more than needed: " + remaining + " -> " + exptime);
      } else {
        // absolute: a unix time at or after the expiry, at most two seconds after it
        assertTrue(exptime * 1000L >= expiresAt + 1000, () -> "expiresAt " + expiresAt + " exptime " + exptime);
        assertTrue(exptime * 1000L < expiresAt + 2000, () -> "expiresAt " + expiresAt + " exptime " + exptime);
        assertTrue(remaining > (THIRTY_DAYS_SECONDS - 1) * 1000L, () -> "absolute too early: " + remaining);
      }
    }
  }
}
