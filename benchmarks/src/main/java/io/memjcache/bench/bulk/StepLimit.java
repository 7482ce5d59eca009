package io.memjcache.bench.bulk;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds one step of the client JVM: a step still running when its limit passes prints
 * {@code @timeout STEP} and halts the JVM (exit {@value #EXIT_TIMEOUT}). A bulk operation that hangs cannot be
 * interrupted from outside, and a benchmark must not wait for it; the driver reports the timeout
 * and stops the servers.
 */
final class StepLimit {

  /** As timeout(1) exits; not 3, which -XX:+ExitOnOutOfMemoryError uses. */
  static final int EXIT_TIMEOUT = 124;

  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "step-limit");
    thread.setDaemon(true);
    return thread;
  });

  private StepLimit() {}

  /** Runs {@code work}, halting the JVM if it is still running after {@code seconds}. */
  static void run(String step, long seconds, Runnable work) {
    within(step, seconds, () -> {
      work.run();
      return step;
    });
  }

  /** Runs {@code work}, halting the JVM if it is still running after {@code seconds}. */
  static <T> T within(String step, long seconds, Supplier<T> work) {
    ScheduledFuture<?> halt = TIMER.schedule(() -> {
      System.out.println("@timeout " + step.replace(' ', '_') + " limit=" + seconds + "s");
      System.out.flush();
      Runtime.getRuntime().halt(EXIT_TIMEOUT);
    }, seconds, TimeUnit.SECONDS);
    try {
      return work.get();
    } finally {
      halt.cancel(false);
    }
  }
}
