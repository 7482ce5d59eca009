package io.memjcache.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The byte layout of an {@link Envelope}, version 1:
 *
 * <pre>
 *   magic 0xC7 | format 1 | expiresAt int64 | version int64 | keyLength int32 | key | value | crc32c
 * </pre>
 *
 * <p>The CRC32C (hardware-assisted on current JVMs) covers everything before it, so a truncated or
 * corrupted item is detected before kryo ever sees it. Items are also marked with {@link #FLAGS} in
 * memcached's flags field, so entries written by other clients under a colliding key are recognised
 * without decoding.
 */
public final class EnvelopeCodec {

  /** memcached item flags of our entries ("jc"). */
  public static final int FLAGS = 0x6A63;

  private static final byte MAGIC = (byte) 0xC7;
  private static final byte FORMAT = 1;
  private static final int HEADER = 2 + 8 + 8 + 4;
  private static final int TRAILER = 4;
  // big-endian, as java.nio.ByteBuffer wrote them; no buffer object per entry on the hot path
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private EnvelopeCodec() {}

  /** Encodes an entry; {@code expiresAtMillis} is {@link Envelope#ETERNAL} for no expiry. */
  public static byte[] encode(byte[] key, byte[] value, long expiresAtMillis, long version) {
    byte[] out = new byte[HEADER + key.length + value.length + TRAILER];
    out[0] = MAGIC;
    out[1] = FORMAT;
    LONG.set(out, 2, expiresAtMillis);
    LONG.set(out, 10, version);
    INT.set(out, 18, key.length);
    System.arraycopy(key, 0, out, HEADER, key.length);
    System.arraycopy(value, 0, out, HEADER + key.length, value.length);
    CRC32C crc = new CRC32C();
    crc.update(out, 0, out.length - TRAILER);
    INT.set(out, out.length - TRAILER, (int) crc.getValue());
    return out;
  }

  /**
   * Returns the expiry time of stored bytes without decoding or checking the rest, or
   * {@code Long.MIN_VALUE} if they are not an envelope. Used to copy items between nodes with the
   * right TTL.
   */
  public static long expiresAtOf(int flags, byte[] bytes) {
    if (flags != FLAGS || bytes == null || bytes.length < HEADER + TRAILER || bytes[0] != MAGIC) {
      return Long.MIN_VALUE;
    }
    return (long) LONG.get(bytes, 2);
  }

  /** Returns the write version of stored bytes, or {@code Long.MIN_VALUE} if not an envelope. */
  public static long versionOf(int flags, byte[] bytes) {
    if (expiresAtOf(flags, bytes) == Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    return (long) LONG.get(bytes, 10);
  }

  /** Decodes bytes read from memcached, or throws {@link CorruptEntryException}. */
  public static Envelope decode(int flags, byte[] bytes) {
    if (flags != FLAGS) {
      throw new CorruptEntryException("item flags " + flags + " are not this provider's");
    }
    if (bytes == null || bytes.length < HEADER + TRAILER || bytes[0] != MAGIC) {
      throw new CorruptEntryException("not an entry envelope");
    }
    if (bytes[1] != FORMAT) {
      throw new CorruptEntryException("unknown envelope format " + bytes[1]);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - TRAILER);
    if ((int) crc.getValue() != (int) INT.get(bytes, bytes.length - TRAILER)) {
      throw new CorruptEntryException("entry checksum mismatch");
    }
    long expiresAt = (long) LONG.get(bytes, 2);
    long version = (long) LONG.get(bytes, 10);
    int keyLength = (int) INT.get(bytes, 18);
    int valueLength = bytes.length - HEADER - TRAILER - keyLength;
    if (keyLength < 0 || valueLength < 0) {
      throw new CorruptEntryException("entry key length " + keyLength + " out of range");
    }
    return new Envelope(bytes, HEADER, keyLength, HEADER + keyLength, valueLength, expiresAt, version);
  }
}
