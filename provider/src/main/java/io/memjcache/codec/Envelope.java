package io.memjcache.codec;

import java.util.Arrays;

/**
 * One cache entry as stored in memcached: the serialized key (to list keys and to detect digest
 * collisions), the serialized value, the absolute JCache expiry time and a write version.
 *
 * <p>Key and value are views into the bytes read from memcached, so decoding copies nothing.
 */
public final class Envelope {

  /** {@link #expiresAtMillis} of an entry that never expires. */
  public static final long ETERNAL = Long.MAX_VALUE;

  private static final Object NOT_DECODED = new Object();

  private final byte[] buffer;
  private final int keyOffset;
  private final int keyLength;
  private final int valueOffset;
  private final int valueLength;
  private final long expiresAtMillis;
  private final long version;
  private Object decodedValue = NOT_DECODED; // decoded when read, handed out once (store by value)

  Envelope(byte[] buffer, int keyOffset, int keyLength, int valueOffset, int valueLength,
      long expiresAtMillis, long version) {
    this.buffer = buffer;
    this.keyOffset = keyOffset;
    this.keyLength = keyLength;
    this.valueOffset = valueOffset;
    this.valueLength = valueLength;
    this.expiresAtMillis = expiresAtMillis;
    this.version = version;
  }

  public long expiresAtMillis() {
    return expiresAtMillis;
  }

  public long version() {
    return version;
  }

  /** Returns if the entry has expired at {@code nowMillis} (JCache: expired at its expiry time). */
  public boolean isExpiredAt(long nowMillis) {
    return nowMillis >= expiresAtMillis;
  }

  /** Returns if this entry belongs to exactly these key bytes. */
  public boolean hasKey(byte[] keyBytes) {
    return Arrays.equals(buffer, keyOffset, keyOffset + keyLength, keyBytes, 0, keyBytes.length);
  }

  public byte[] buffer() {
    return buffer;
  }

  public int keyOffset() {
    return keyOffset;
  }

  public int keyLength() {
    return keyLength;
  }

  public int valueOffset() {
    return valueOffset;
  }

  public int valueLength() {
    return valueLength;
  }

  /** Returns if the stored value bytes equal {@code valueBytes}. */
  public boolean hasValue(byte[] valueBytes) {
    return Arrays.equals(buffer, valueOffset, valueOffset + valueLength, valueBytes, 0, valueBytes.length);
  }

  /** A copy of the stored value bytes. */
  public byte[] valueBytes() {
    return Arrays.copyOfRange(buffer, valueOffset, valueOffset + valueLength);
  }

  /** Keeps the value decoded while the entry was checked, for the first reader. */
  void keepDecodedValue(Object value) {
    decodedValue = value;
  }

  /** The value decoded while checking, the first time only; a marker ({@link #isDecoded}) after. */
  Object takeDecodedValue() {
    Object value = decodedValue;
    decodedValue = NOT_DECODED;
    return value;
  }

  static boolean isDecoded(Object value) {
    return value != NOT_DECODED;
  }
}
