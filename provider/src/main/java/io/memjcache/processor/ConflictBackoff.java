package io.memjcache.processor;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The wait after a lost CAS, before a decision is taken again: none after the first loss, then a
 * random time between zero and a bound that doubles with each further loss, up to a cap ("full
 * jitter"). Writers contending for one key spread out instead of reading and colliding again in
 * step, which made contended {@code invoke} from many threads slower than from one.
 */
final class ConflictBackoff {

  static final long BASE_NANOS = 20_000;
  static final long CAP_NANOS = 2_000_000;

  private ConflictBackoff() {}

  /** The upper bound of the wait after {@code lost} lost attempts in a row. */
  static long boundNanos(int lost) {
    if (lost <= 1) {
      return 0;
    }
    return Math.min(CAP_NANOS, BASE_NANOS << Math.min(lost - 2, 20));
  }

  static void after(int lost) {
    long bound = boundNanos(lost);
    if (bound > 0) {
      LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(bound + 1));
    }
  }
}
