package io.memjcache.processor;

import org.jspecify.annotations.Nullable;

/**
 * What one attempt of a CAS loop wants memcached to hold afterwards, and what the operation returns
 * if the write wins.
 */
public record Decision<R>(Kind kind, byte @Nullable [] valueBytes, long expiresAtMillis, R result) {

  /** The write an attempt asks for. */
  public enum Kind {
    /** Leave memcached as it is. */
    NONE,
    /** Store {@code valueBytes} expiring at {@code expiresAtMillis}. */
    PUT,
    /** Delete the entry. */
    REMOVE
  }

  public static <R> Decision<R> none(R result) {
    return new Decision<>(Kind.NONE, null, 0, result);
  }

  public static <R> Decision<R> put(byte[] valueBytes, long expiresAtMillis, R result) {
    return new Decision<>(Kind.PUT, valueBytes, expiresAtMillis, result);
  }

  public static <R> Decision<R> remove(R result) {
    return new Decision<>(Kind.REMOVE, null, 0, result);
  }
}
