package io.memjcache.cluster;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Tells whether this JVM stood still: a long GC pause, a SIGSTOP, a stalled or starved machine.
 *
 * <p>A daemon thread ticks every {@link #TICK_MILLIS}; a tick that comes {@link #PAUSE_MILLIS}
 * late means no thread of this JVM ran meanwhile. An operation that timed out across such a pause
 * says nothing about its server: the server may have answered long ago while this client slept,
 * and on resume every in-flight operation times out at once, on every node. Such timeouts are
 * excused (DESIGN invariant 3: a timeout is a suspicion, and one seen by a paused client not even
 * that). The waiting thread may resume before the ticker does, so a ticker that is itself late
 * counts as a pause in progress.
 *
 * <p>One detector serves the whole JVM: a pause stops every thread alike.
 */
final class PauseDetector {

  static final long TICK_MILLIS = 20;
  static final long PAUSE_MILLIS = 150;

  private static final System.Logger LOG = Loggers.of(PauseDetector.class);
  private static final PauseDetector JVM = started(new PauseDetector(System::nanoTime));

  private final LongSupplier nanoClock;
  private volatile long lastTickNanos;
  private volatile long lastPauseEndNanos;
  private final AtomicLong pauses = new AtomicLong();

  PauseDetector(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.lastTickNanos = nanoClock.getAsLong();
    this.lastPauseEndNanos = lastTickNanos - TimeUnit.DAYS.toNanos(1);
  }

  private static PauseDetector started(PauseDetector detector) {
    Thread ticker = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(TICK_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
        detector.tick();
      }
    }, "memjcache-pause-detector");
    ticker.setDaemon(true);
    ticker.start();
    return detector;
  }

  static PauseDetector jvm() {
    return JVM;
  }

  /** One tick of the ticker, {@link #TICK_MILLIS} after the last. */
  void tick() {
    long now = nanoClock.getAsLong();
    long lateMillis = TimeUnit.NANOSECONDS.toMillis(now - lastTickNanos) - TICK_MILLIS;
    if (lateMillis >= PAUSE_MILLIS) {
      lastPauseEndNanos = now;
      pauses.incrementAndGet();
      LOG.log(Level.INFO, () -> "this JVM stood still for about " + lateMillis
          + " ms (GC pause, SIGSTOP or a stalled machine): timeouts across it are not held against memcached");
    }
    lastTickNanos = now;
  }

  /** Returns if this JVM stood still at some moment since {@code startNanos}, or does now. */
  boolean stalledSince(long startNanos) {
    return isLate() || lastPauseEndNanos - startNanos > 0;
  }

  /**
   * How many pauses were seen so far: a change tells that the JVM stood still meanwhile. Threads
   * may resume from a pause before the ticker does; a pause is counted once the ticker has run, so
   * while it is late this waits for it (a few milliseconds at most after a pause, nothing otherwise).
   */
  long pauses() {
    long limit = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10 * TICK_MILLIS);
    while (isLate() && System.nanoTime() < limit) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return pauses.get();
  }

  private boolean isLate() {
    return nanoClock.getAsLong() - lastTickNanos > TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS + PAUSE_MILLIS);
  }
}
