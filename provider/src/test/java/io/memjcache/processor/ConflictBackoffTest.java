package io.memjcache.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The backoff's bounds: pure arithmetic, no timing. */
class ConflictBackoffTest {

  @Test
  void theFirstRetryIsImmediateThenTheBoundDoublesUpToTheCap() {
    assertEquals(0, ConflictBackoff.boundNanos(0));
    assertEquals(0, ConflictBackoff.boundNanos(1), "one lost race: decide again at once");
    assertEquals(ConflictBackoff.BASE_NANOS, ConflictBackoff.boundNanos(2));
    assertEquals(2 * ConflictBackoff.BASE_NANOS, ConflictBackoff.boundNanos(3));
    for (int lost = 2; lost < 10_000; lost++) {
      long bound = ConflictBackoff.boundNanos(lost);
      assertTrue(bound >= ConflictBackoff.boundNanos(lost - 1) && bound <= ConflictBackoff.CAP_NANOS, "lost " + lost);
    }
    assertEquals(ConflictBackoff.CAP_NANOS, ConflictBackoff.boundNanos(10_000));
  }
}
