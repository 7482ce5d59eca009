package io.memjcache.cluster;

import javax.cache.CacheException;

/** A memcached node did not answer in time, refused the connection or dropped it. */
public final class NodeUnavailableException extends CacheException {

  private final boolean timedOut;

  public NodeUnavailableException(String message, Throwable cause) {
    super(message, cause);
    this.timedOut = cause instanceof java.util.concurrent.TimeoutException;
  }

  /** Returns if the node only failed to answer in time, which may pass; a refused connection won't. */
  public boolean timedOut() {
    return timedOut;
  }
}
