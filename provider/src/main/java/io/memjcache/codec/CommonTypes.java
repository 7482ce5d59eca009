package io.memjcache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * {@code String} and {@code byte[]}, the commonest keys and values, written and read without a
 * kryo instance, byte for byte as kryo's {@code writeClassAndObject} writes them.
 *
 * <ul>
 *   <li>Kryo writes either type as a fixed header (class and reference marker) followed by its
 *       payload ({@link Output#writeString}; or a varint of length + 1 and the bytes). The headers
 *       are learnt from the configured kryo itself, and every probe below must come out identical,
 *       or that type keeps going through kryo: memcached keys, and so where entries live, never
 *       depend on which path wrote them.
 *   <li>Reading takes the short path only for bytes that start with the learnt header and whose
 *       payload fills them exactly; anything else is left to kryo, which reports corruption.
 * </ul>
 */
final class CommonTypes {

  /** Returned by {@link #read} for bytes it leaves to kryo. */
  static final Object NOT_HANDLED = new Object();

  private static final String[] STRING_PROBES = {"", "k", "key:1", "0123456789abcdefghijklmnopqrstuv",
      "0123456789abcdefghijklmnopqrstuvw", "clé", "\u0000", "\uD83D\uDE00 emoji", "x".repeat(300),
      "ü".repeat(200)};
  private static final int[] BYTES_PROBES = {0, 1, 2, 63, 64, 127, 128, 300, 16_383, 16_384, 70_000};

  private final byte @Nullable [] stringHeader; // null: Strings go through kryo
  private final byte @Nullable [] bytesHeader; // null: byte arrays go through kryo

  private CommonTypes(byte @Nullable [] stringHeader, byte @Nullable [] bytesHeader) {
    this.stringHeader = stringHeader;
    this.bytesHeader = bytesHeader;
  }

  /** Learns the headers from {@code kryo}, configured as it will serialize everything else. */
  static CommonTypes learn(Kryo kryo) {
    byte[] strings = stringHeader(kryo);
    byte[] bytes = bytesHeader(kryo);
    if (strings != null && bytes != null && (startsWith(strings, 0, strings.length + 1, bytes)
        || startsWith(bytes, 0, bytes.length + 1, strings))) {
      bytes = null; // reading must tell the two apart by their headers alone
    }
    return new CommonTypes(strings, bytes);
  }

  boolean handlesStrings() {
    return stringHeader != null;
  }

  boolean handlesByteArrays() {
    return bytesHeader != null;
  }

  /** Returns the bytes kryo would write for {@code object}, or null if it must write them itself. */
  byte @Nullable [] write(Object object) {
    if (object instanceof String s && stringHeader != null) {
      return writeString(stringHeader, s);
    }
    if (object instanceof byte[] b && bytesHeader != null) {
      return writeBytes(bytesHeader, b);
    }
    return null;
  }

  /** Returns the object kryo would read from these bytes, or {@link #NOT_HANDLED}. */
  Object read(byte[] buffer, int offset, int length) {
    if (bytesHeader != null && startsWith(buffer, offset, length, bytesHeader)) {
      return readBytes(buffer, offset + bytesHeader.length, length - bytesHeader.length);
    }
    if (stringHeader != null && startsWith(buffer, offset, length, stringHeader)) {
      return readString(buffer, offset + stringHeader.length, length - stringHeader.length);
    }
    return NOT_HANDLED;
  }

  private static byte[] writeString(byte[] header, String s) {
    byte[] shortAscii = writeShortAscii(header, s);
    if (shortAscii != null) {
      return shortAscii;
    }
    try (Output out = new Output(header.length + 5 + s.length() * 3)) {
      out.writeBytes(header);
      out.writeString(s);
      return out.toBytes();
    }
  }

  /**
   * Kryo's form of a string of 2 to 32 characters, none above 127 ({@link Output#writeString}: the
   * characters as bytes, the last with bit 8 set), written into an array of the exact size; null for
   * any other string. The commonest keys take this path, which spares each an {@code Output}, its
   * buffer and the copy out of it (the learnt probes include such strings).
   */
  private static byte @Nullable [] writeShortAscii(byte[] header, String s) {
    int length = s.length();
    if (length < 2 || length > 32) {
      return null;
    }
    byte[] out = new byte[header.length + length];
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c > 127) {
        return null;
      }
      out[header.length + i] = (byte) c;
    }
    System.arraycopy(header, 0, out, 0, header.length);
    out[out.length - 1] |= (byte) 0x80;
    return out;
  }

  private static byte[] writeBytes(byte[] header, byte[] b) {
    int lengthField = b.length + 1;
    byte[] out = new byte[header.length + varIntSize(lengthField) + b.length];
    System.arraycopy(header, 0, out, 0, header.length);
    int pos = writeVarInt(out, header.length, lengthField);
    System.arraycopy(b, 0, out, pos, b.length);
    return out;
  }

  private static Object readString(byte[] buffer, int offset, int length) {
    if (length <= 0) {
      return NOT_HANDLED;
    }
    try (Input in = new BoundedInput(buffer, offset, length)) {
      String s = in.readString();
      // trailing bytes: not what kryo wrote, so kryo reads them again and reports them
      return s == null || in.position() != offset + length ? NOT_HANDLED : s;
    } catch (RuntimeException truncated) {
      return NOT_HANDLED; // kryo reads it again and reports what is wrong
    }
  }

  /** Kryo's ByteArraySerializer: varint (positive) of length + 1, 0 meaning null, then the bytes. */
  private static Object readBytes(byte[] buffer, int offset, int length) {
    long lengthField = 0;
    int pos = offset;
    int end = offset + length;
    for (int shift = 0; ; shift += 7) {
      if (pos >= end || shift > 28) {
        return NOT_HANDLED;
      }
      int b = buffer[pos++];
      lengthField |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    if (lengthField == 0 || lengthField - 1 != end - pos) {
      return NOT_HANDLED;
    }
    return Arrays.copyOfRange(buffer, pos, pos + (int) (lengthField - 1));
  }

  private static boolean startsWith(byte[] buffer, int offset, int length, byte[] header) {
    return length > header.length
        && Arrays.equals(buffer, offset, offset + header.length, header, 0, header.length);
  }

  static int varIntSize(int value) {
    int size = 1;
    while ((value & ~0x7F) != 0) {
      value >>>= 7;
      size++;
    }
    return size;
  }

  /** Writes a positive varint as kryo does (7 bits a byte, low bits first); returns the next position. */
  static int writeVarInt(byte[] out, int pos, int value) {
    while ((value & ~0x7F) != 0) {
      out[pos++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[pos++] = (byte) value;
    return pos;
  }

  private static byte @Nullable [] stringHeader(Kryo kryo) {
    byte[] empty = kryoBytes(kryo, "");
    byte[] payload = writeStringPayload("");
    if (empty.length <= payload.length) {
      return null;
    }
    byte[] header = Arrays.copyOf(empty, empty.length - payload.length);
    for (String probe : STRING_PROBES) {
      byte[] expected = kryoBytes(kryo, probe);
      if (!Arrays.equals(expected, writeString(header, probe))
          || !probe.equals(readString(expected, header.length, expected.length - header.length))) {
        return null;
      }
    }
    return header;
  }

  private static byte @Nullable [] bytesHeader(Kryo kryo) {
    byte[] empty = kryoBytes(kryo, new byte[0]);
    if (empty.length < 2 || empty[empty.length - 1] != 1) {
      return null;
    }
    byte[] header = Arrays.copyOf(empty, empty.length - 1);
    for (int size : BYTES_PROBES) {
      byte[] probe = new byte[size];
      for (int i = 0; i < size; i++) {
        probe[i] = (byte) (i * 31 + 7);
      }
      byte[] expected = kryoBytes(kryo, probe);
      Object back = readBytes(expected, header.length, expected.length - header.length);
      if (!Arrays.equals(expected, writeBytes(header, probe))
          || !(back instanceof byte[] b && Arrays.equals(b, probe))) {
        return null;
      }
    }
    return header;
  }

  private static byte[] writeStringPayload(String s) {
    try (Output out = new Output(16, -1)) {
      out.writeString(s);
      return out.toBytes();
    }
  }

  private static byte[] kryoBytes(Kryo kryo, Object object) {
    try (Output out = new Output(64, -1)) {
      kryo.writeClassAndObject(out, object);
      return out.toBytes();
    }
  }

  @Override
  public String toString() {
    return "CommonTypes[strings " + (stringHeader != null) + ", byte[] " + (bytesHeader != null)
        + ", string header " + Arrays.toString(stringHeader) + ", byte[] header "
        + new String(bytesHeader == null ? new byte[0] : bytesHeader, StandardCharsets.ISO_8859_1) + "]";
  }
}
