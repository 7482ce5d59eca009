package io.memjcache.expiry;

import io.memjcache.codec.Envelope;
import javax.cache.expiry.Duration;

/**
 * JCache durations to absolute expiry times and those to memcached exptimes.
 *
 * <p>memcached counts whole seconds and reads an exptime over 30 days as an absolute unix time
 * (protocol.txt, "Expiration times"). The envelope keeps the exact millisecond expiry, checked on
 * every read; the exptime only lets memcached free the memory, so it must never be shorter than the
 * JCache time: it is rounded up, plus one second, because memcached's clock advances in whole-second
 * ticks and an item set just before a tick with exptime n is dropped at the n-th tick, up to a second
 * early. memcached thus frees an entry between 0 and 2 seconds after its JCache expiry.
 */
public final class ExpiryTimes {

  /** The largest relative exptime memcached accepts; anything larger is a unix time. */
  public static final int MAX_RELATIVE_SECONDS = 60 * 60 * 24 * 30;

  /** Added to every exptime so that memcached's whole-second clock never drops an entry early. */
  public static final int TICK_MARGIN_SECONDS = 1;

  private ExpiryTimes() {}

  /**
   * Returns the absolute expiry in ms of a duration starting at {@code nowMillis}:
   * {@link Envelope#ETERNAL} for an eternal duration, {@code nowMillis} for zero (already expired).
   */
  public static long expiresAt(Duration duration, long nowMillis) {
    if (duration.isEternal()) {
      return Envelope.ETERNAL;
    }
    if (duration.isZero()) {
      return nowMillis;
    }
    long millis;
    try {
      millis = duration.getTimeUnit().toMillis(duration.getDurationAmount());
    } catch (ArithmeticException e) {
      return Envelope.ETERNAL;
    }
    long at = nowMillis + millis;
    // overflow means "later than any clock will reach": eternal
    return at < nowMillis || millis == Long.MAX_VALUE ? Envelope.ETERNAL : at;
  }

  /**
   * Returns the memcached exptime for an entry expiring at {@code expiresAtMillis}: 0 for eternal,
   * the remaining seconds rounded up plus the one-second tick margin, or beyond 30 days the absolute
   * unix time likewise. An absolute time past what the protocol's 32-bit field holds is sent as 0;
   * the envelope still expires it on read.
   *
   * @throws IllegalArgumentException if the entry has already expired (it must not be stored)
   */
  public static int exptime(long expiresAtMillis, long nowMillis) {
    if (expiresAtMillis == Envelope.ETERNAL) {
      return 0;
    }
    long remaining = expiresAtMillis - nowMillis;
    if (remaining <= 0) {
      throw new IllegalArgumentException("entry expired " + (-remaining) + " ms ago");
    }
    long seconds = ceilDiv(remaining, 1000) + TICK_MARGIN_SECONDS;
    if (seconds <= MAX_RELATIVE_SECONDS) {
      return (int) seconds;
    }
    long unixSeconds = ceilDiv(expiresAtMillis, 1000) + TICK_MARGIN_SECONDS;
    return unixSeconds > Integer.MAX_VALUE ? 0 : (int) unixSeconds;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
