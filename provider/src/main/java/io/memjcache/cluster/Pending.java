package io.memjcache.cluster;

/**
 * An operation sent to a {@link Node} and not awaited yet: what the pipelined paths (bulk writes,
 * deletes, multi-gets) hold while they send the rest, so that they need no client library's futures.
 *
 * @param <T> what the operation returns
 */
interface Pending<T> {

  /**
   * Waits for the outcome at most one operation timeout; a node that does not answer is thrown as a
   * {@link NodeUnavailableException}, as for the node's one-step operations.
   */
  T await();

  /** Returns if the outcome is in, so that {@link #await} will not wait. */
  boolean isDone();

  /** Gives up on the outcome: it is never awaited (the operation may still be applied). */
  void cancel();
}
