package io.memjcache.cluster;

import javax.cache.CacheException;

/** A memcached node did not answer in time, refused the connection or dropped it. */
public final class NodeUnavailableException extends CacheException {

  private static final long serialVersionUID = 1L;

  /** What the failure says about the node. */
  public enum Kind {
    /** The node did not answer in time: a suspicion only, it may be slow or this client may be. */
    TIMEOUT,
    /** Timed out while this JVM stood still (see PauseDetector): says nothing about the node. */
    TIMEOUT_WHILE_PAUSED,
    /** No connection: dropped, refused or not yet re-established. */
    NO_CONNECTION,
    /** This client refused the operation itself (a node it suspects, no node left). */
    REFUSED_HERE
  }

  private final Kind kind;
  private final transient ServerAddress node;

  public NodeUnavailableException(String message, Kind kind, Throwable cause) {
    this(message, kind, cause, null);
  }

  NodeUnavailableException(String message, Kind kind, Throwable cause, ServerAddress node) {
    super(message, cause);
    this.kind = kind;
    this.node = node;
  }

  /** The node that failed, when one did (null for a refusal of this client's own). */
  ServerAddress node() {
    return node;
  }

  public Kind kind() {
    return kind;
  }

  /** Returns if the node only failed to answer in time, which may pass; a refused connection won't. */
  public boolean timedOut() {
    return kind == Kind.TIMEOUT || kind == Kind.TIMEOUT_WHILE_PAUSED;
  }
}
