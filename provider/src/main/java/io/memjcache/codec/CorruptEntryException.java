package io.memjcache.codec;

/** Stored bytes that are not a valid entry of this cache: corrupt, truncated or someone else's. */
public final class CorruptEntryException extends RuntimeException {

  public CorruptEntryException(String message) {
    super(message);
  }

  public CorruptEntryException(String message, Throwable cause) {
    super(message, cause);
  }
}
