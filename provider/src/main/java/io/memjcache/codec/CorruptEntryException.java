package io.memjcache.codec;

import javax.cache.CacheException;

/**
 * Stored bytes that are not a valid entry of this cache: corrupt, truncated, someone else's, or a
 * value whose classes this JVM cannot load.
 */
public final class CorruptEntryException extends CacheException {

  private static final long serialVersionUID = 1L;

  public CorruptEntryException(String message) {
    super(message);
  }

  public CorruptEntryException(String message, Throwable cause) {
    super(message, cause);
  }
}
