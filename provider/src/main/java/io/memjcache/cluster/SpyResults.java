package io.memjcache.cluster;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.CacheException;
import net.spy.memcached.internal.BulkFuture;
import net.spy.memcached.internal.CheckedOperationTimeoutException;
import net.spy.memcached.internal.OperationFuture;
import net.spy.memcached.ops.OperationStatus;
import net.spy.memcached.ops.StatusCode;

/**
 * Waits for the spymemcached operations of one node and turns what they report into this
 * package's terms: a result, a {@link WriteOutcome} for a conditional write not applied, a
 * {@link NodeUnavailableException} when the node did not answer (a timeout, told apart from one
 * across a pause of this JVM, or a lost connection), a {@code CacheException} for anything else.
 * Also counts the timeouts in a row that make a node suspected.
 */
final class SpyResults {

  private final ServerAddress server;
  private final long timeoutMillis;
  private final AtomicInteger timeoutsInARow = new AtomicInteger();

  SpyResults(ServerAddress server, long timeoutMillis) {
    this.server = server;
    this.timeoutMillis = timeoutMillis;
  }

  /** Counts one more operation in a row that timed out; returns how many there were. */
  int timedOutAgain() {
    return timeoutsInARow.incrementAndGet();
  }

  /**
   * The outcome of a conditional operation memcached did not apply: a conflict or a missing key;
   * any other status is thrown as a failure.
   */
  WriteOutcome conditionalFailure(String op, OperationStatus status) {
    StatusCode code = status == null ? null : status.getStatusCode();
    if (code == StatusCode.ERR_EXISTS || code == StatusCode.ERR_NOT_STORED) {
      return WriteOutcome.CONFLICT;
    }
    if (code == StatusCode.ERR_NOT_FOUND) {
      return WriteOutcome.NOT_FOUND;
    }
    throw failure(op, status);
  }

  /** The exception that reports an operation memcached answered with {@code status}. */
  CacheException failure(String op, OperationStatus status) {
    StatusCode code = status == null ? null : status.getStatusCode();
    if (code == StatusCode.ERR_2BIG) {
      return new CacheException("memcached " + server + " refused the " + op
          + ": the entry is larger than its item size limit (memcached -I)");
    }
    if (code == StatusCode.TIMEDOUT) {
      // spymemcached's own timeout of an operation still queued: as suspicious as ours
      return timeout(op, System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(timeoutMillis), null);
    }
    if (code == StatusCode.CANCELLED || code == StatusCode.INTERRUPTED) {
      return new NodeUnavailableException("memcached " + server + " is unreachable (" + op + ": "
          + status.getMessage() + ")", NodeUnavailableException.Kind.NO_CONNECTION, null, server);
    }
    return new CacheException("memcached " + server + " failed the " + op + ": "
        + (status == null ? "no status" : code + " " + status.getMessage()));
  }

  /**
   * Waits for an operation at most one operation timeout and returns its result; a timeout, a lost
   * connection or an operation that never got an answer is thrown as a {@link NodeUnavailableException}.
   */
  <T> T await(Future<T> future, String op) {
    long start = System.nanoTime();
    try {
      T result = future.get(timeoutMillis, TimeUnit.MILLISECONDS);
      OperationStatus status = transportStatusOf(future);
      if (status != null) {
        throw failure(op, status);
      }
      if (timeoutsInARow.get() != 0) {
        timeoutsInARow.set(0);
      }
      return result;
    } catch (TimeoutException e) {
      future.cancel(false);
      throw timeout(op, start, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CheckedOperationTimeoutException) {
        // spymemcached timed the operation out while it was still queued: a timeout, not a lost
        // connection (as its TIMEDOUT status in failure(); found under bulk deletes, issue 16)
        throw timeout(op, System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(timeoutMillis), null);
      }
      throw unreachable(op, e);
    } catch (CancellationException e) {
      throw unreachable(op, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new CacheException("interrupted while waiting for memcached " + server, e);
    }
  }

  private NodeUnavailableException unreachable(String op, Exception e) {
    return new NodeUnavailableException("memcached " + server + " is unreachable (" + op + ": "
        + (e.getCause() == null ? e : e.getCause()) + ")", NodeUnavailableException.Kind.NO_CONNECTION, e, server);
  }

  /**
   * Returns the status of a completed future if it says the operation never got an answer, else
   * null. spymemcached completes an operation that timed out while still queued (TIMEDOUT) or was
   * cancelled with its connection without throwing from {@code get}: a get then returns null and a
   * multi-get an empty map, which would read as misses (after a pause of this JVM, a membership mark
   * "lost" that is there, and a node flushed for it).
   */
  private static OperationStatus transportStatusOf(Future<?> future) {
    OperationStatus status;
    if (future instanceof OperationFuture<?> f) {
      status = f.getStatus();
    } else if (future instanceof net.spy.memcached.internal.GetFuture<?> f) {
      status = f.getStatus();
    } else if (future instanceof BulkFuture<?> f) {
      status = f.getStatus();
    } else {
      return null;
    }
    StatusCode code = status == null ? null : status.getStatusCode();
    boolean unanswered = code == StatusCode.TIMEDOUT || code == StatusCode.CANCELLED
        || code == StatusCode.INTERRUPTED;
    return unanswered ? status : null;
  }

  private NodeUnavailableException timeout(String op, long startNanos, TimeoutException cause) {
    boolean paused = PauseDetector.jvm().stalledSince(startNanos);
    return new NodeUnavailableException("memcached " + server + " did not answer a " + op + " within "
        + timeoutMillis + " ms" + (paused ? " (while this JVM stood still)" : ""),
        paused ? NodeUnavailableException.Kind.TIMEOUT_WHILE_PAUSED : NodeUnavailableException.Kind.TIMEOUT,
        cause, server);
  }
}
