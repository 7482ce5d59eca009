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
 * <p>Sealed entries (format 2, {@code io.memjcache.security.EntrySealer}) share the first
 * {@link #CLEAR_HEADER} bytes (magic, format, expiresAt, version), so {@link #expiresAtOf} and
 * {@link #versionOf} work on both.
 *
 * <p>The CRC32C (hardware-assisted on current JVMs) covers everything before it, so a truncated or
 * corrupted item is detected before kryo ever sees it. Items are also marked with {@link #FLAGS} in
 * memcached's flags field, so entries written by other clients under a colliding key are recognised
 * without decoding.
 */
public final class EnvelopeCodec {

  /** memcached item flags of our entries ("jc"). */
  public static final int FLAGS = 0x6A63;

  /** The bytes every format starts with in clear: magic, format, expiresAt, version. */
  public static final int CLEAR_HEADER = 2 + 8 + 8;
  /** The format byte of sealed entries. */
  public static final byte SEALED_FORMAT = 2;

  private static final byte MAGIC = (byte) 0xC7;
  private static final byte FORMAT = 1;
  private static final int HEADER = CLEAR_HEADER + 4;
  private static final int TRAILER = 4;
  // big-endian, as java.nio.ByteBuffer wrote them; no buffer object per entry on the hot path
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private EnvelopeCodec() {}

  /** Encodes an entry; {@code expiresAtMillis} is {@link Envelope#ETERNAL} for no expiry. */
  public static byte[] encode(byte[] key, byte[] value, long expiresAtMillis, long version) {
    byte[] out = new byte[HEADER + key.length + value.length + TRAILER];
    writeClearHeader(out, FORMAT, expiresAtMillis, version);
    writeBody(out, CLEAR_HEADER, key, value);
    CRC32C crc = new CRC32C();
    crc.update(out, 0, out.length - TRAILER);
    INT.set(out, out.length - TRAILER, (int) crc.getValue());
    return out;
  }

  /** Writes the {@link #CLEAR_HEADER} bytes of an item in format {@code format}. */
  public static void writeClearHeader(byte[] out, byte format, long expiresAtMillis, long version) {
    out[0] = MAGIC;
    out[1] = format;
    LONG.set(out, 2, expiresAtMillis);
    LONG.set(out, 10, version);
  }

  /** Returns if stored bytes start with a clear header of format {@code format}. */
  public static boolean hasFormat(int flags, byte[] bytes, byte format) {
    return flags == FLAGS && bytes != null && bytes.length >= CLEAR_HEADER && bytes[0] == MAGIC
        && bytes[1] == format;
  }

  /**
   * Reads the {@code keyLength | key | value} body at {@code offset} of {@code buffer}, as sealed
   * entries keep it; throws {@link CorruptEntryException} if the key length does not fit.
   */
  public static Envelope body(byte[] buffer, int offset, int length, long expiresAtMillis, long version) {
    if (length < 4) {
      throw new CorruptEntryException("entry body of " + length + " bytes is too short");
    }
    int keyLength = (int) INT.get(buffer, offset);
    int valueLength = length - 4 - keyLength;
    if (keyLength < 0 || valueLength < 0) {
      throw new CorruptEntryException("entry key length " + keyLength + " out of range");
    }
    return new Envelope(buffer, offset + 4, keyLength, offset + 4 + keyLength, valueLength,
        expiresAtMillis, version);
  }

  /** Writes {@code keyLength | key | value} at {@code offset} of {@code out}. */
  public static void writeBody(byte[] out, int offset, byte[] key, byte[] value) {
    INT.set(out, offset, key.length);
    System.arraycopy(key, 0, out, offset + 4, key.length);
    System.arraycopy(value, 0, out, offset + 4 + key.length, value.length);
  }

  /** Reads the expiry time from a clear header known to be present. */
  public static long clearExpiresAt(byte[] bytes) {
    return (long) LONG.get(bytes, 2);
  }

  /** Reads the write version from a clear header known to be present. */
  public static long clearVersion(byte[] bytes) {
    return (long) LONG.get(bytes, 10);
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
    return clearExpiresAt(bytes);
  }

  /** Returns the write version of stored bytes, or {@code Long.MIN_VALUE} if not an envelope. */
  public static long versionOf(int flags, byte[] bytes) {
    if (expiresAtOf(flags, bytes) == Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    return clearVersion(bytes);
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
    return body(bytes, CLEAR_HEADER, bytes.length - CLEAR_HEADER - TRAILER, clearExpiresAt(bytes),
        clearVersion(bytes));
  }
}
