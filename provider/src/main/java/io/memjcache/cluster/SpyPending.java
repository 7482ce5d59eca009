package io.memjcache.cluster;

import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * A {@link Pending} operation of {@link NodeClient}: a spymemcached future and the way its outcome
 * is read ({@link SpyResults}), kept together so that no other class handles the future.
 */
final class SpyPending<T> implements Pending<T> {

  private final Future<?> future;
  private final Supplier<T> outcome;

  SpyPending(Future<?> future, Supplier<T> outcome) {
    this.future = future;
    this.outcome = outcome;
  }

  @Override
  public T await() {
    return outcome.get();
  }

  @Override
  public boolean isDone() {
    return future.isDone();
  }

  @Override
  public void cancel() {
    future.cancel(false); // spymemcached ignores the flag
  }
}
