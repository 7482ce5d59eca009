package io.memjcache.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for tests, instead of fixed sleeps that are too long on an idle machine and too short on a
 * loaded one.
 *
 * <ul>
 *   <li>{@link #until} polls a condition every few milliseconds and fails, saying what did not
 *       happen, at its deadline; it returns as soon as the condition holds.
 *   <li>{@link #past} waits until a moment on the wall clock has passed: the shortest wait a check
 *       of an expiry time needs (the provider takes expiry times from the same clock).
 * </ul>
 */
public final class Waits {

  /** Often enough that a test rarely waits longer than it must, rarely enough to cost nothing. */
  private static final long POLL_MILLIS = 5;

  private Waits() {}

  /**
   * Returns once {@code condition} holds; throws an {@link AssertionError} naming {@code what} if it
   * still does not after {@code limit}.
   */
  public static void until(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + limit.toMillis() + " ms: " + what);
      }
      sleep(POLL_MILLIS);
    }
  }

  /** Returns once {@link System#currentTimeMillis()} is past {@code epochMillis}. */
  public static void past(long epochMillis) {
    long left;
    while ((left = epochMillis - System.currentTimeMillis()) >= 0) {
      sleep(Math.min(left + 1, 50));
    }
  }

  /** {@link Thread#sleep}, with an interrupt kept and turned into an unchecked exception. */
  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }
}
