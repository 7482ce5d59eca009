package io.memjcache.cluster;

import javax.cache.CacheException;

/** A memcached node did not answer in time, refused the connection or dropped it. */
public final class NodeUnavailableException extends CacheException {

  public NodeUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
