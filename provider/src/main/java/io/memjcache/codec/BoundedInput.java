package io.memjcache.codec;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

/**
 * A kryo {@link Input} over stored bytes that refuses any length larger than the bytes left before
 * allocating for it: every element, character and array slot takes at least one byte, so a length
 * prefix of 2^31 in a ten-byte item is corrupt, not an {@code OutOfMemoryError}.
 *
 * <p>Covers the bulk reads kryo's serializers allocate through (strings, primitive arrays); the
 * collection and object-array serializers check through {@link #requireElements} themselves. Where
 * kryo reads loosely (UTF-8, booleans), only what kryo writes is accepted, so damaged bytes are
 * corrupt rather than a different value.
 */
final class BoundedInput extends Input {

  BoundedInput(byte[] buffer, int offset, int length) {
    super(buffer, offset, length);
  }

  /** The bytes not read yet. */
  int remaining() {
    return limit - position;
  }

  /** Throws unless {@code count} elements of at least one byte each can still follow. */
  void requireElements(long count) {
    if (count < 0 || count > remaining()) {
      throw new KryoException("length " + count + " exceeds the " + remaining() + " bytes left");
    }
  }

  @Override
  public String readString() {
    int charsAt = utf8CharsStart();
    String s = super.readString();
    requireCanonicalUtf8(charsAt, s);
    return s;
  }

  @Override
  public StringBuilder readStringBuilder() {
    int charsAt = utf8CharsStart();
    StringBuilder s = super.readStringBuilder();
    requireCanonicalUtf8(charsAt, s);
    return s;
  }

  /**
   * Checks the character count of the string that follows against the bytes left, and returns
   * where its characters start (-1 for kryo's ASCII form: the last byte has its high bit set, and
   * kryo grows its buffer as it reads). The UTF-8 form starts with a varint of count + 1 whose first
   * byte holds 6 bits, bit 0x40 meaning more bytes follow, and bit 0x80 marking the form.
   */
  private int utf8CharsStart() {
    int p = position;
    if (p >= limit || (buffer[p] & 0x80) == 0) {
      return -1;
    }
    int b = buffer[p++];
    long count = b & 0x3F;
    for (int shift = 6; (b & (shift == 6 ? 0x40 : 0x80)) != 0 && shift <= 27; shift += 7) {
      if (p >= limit) {
        throw new KryoException("buffer underflow in a string length");
      }
      b = buffer[p++];
      count |= (long) (b & 0x7F) << shift;
    }
    requireElements(Math.max(0, count - 1));
    return p;
  }

  /**
   * Kryo decodes UTF-8 loosely (a malformed byte still yields some character), so a string read
   * from stored bytes must re-encode to exactly the bytes it was read from; otherwise the bytes
   * were not written by kryo and the string would be garbage.
   */
  private void requireCanonicalUtf8(int from, CharSequence s) {
    if (from < 0 || s == null) {
      return;
    }
    int p = from;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean same;
      if (c <= 0x7F) {
        same = buffer[p++] == c;
      } else if (c <= 0x7FF) {
        same = buffer[p++] == (byte) (0xC0 | c >> 6) && buffer[p++] == (byte) (0x80 | c & 0x3F);
      } else {
        same = buffer[p++] == (byte) (0xE0 | c >> 12) && buffer[p++] == (byte) (0x80 | c >> 6 & 0x3F)
            && buffer[p++] == (byte) (0x80 | c & 0x3F);
      }
      if (!same) {
        throw new KryoException("malformed UTF-8 in a stored string");
      }
    }
    if (p != position) {
      throw new KryoException("malformed UTF-8 in a stored string");
    }
  }

  /** Kryo writes booleans as 0 or 1 and reads anything but 1 as false: any other byte is corrupt. */
  @Override
  public boolean readBoolean() {
    byte b = readByte();
    if (b != 0 && b != 1) {
      throw new KryoException("stored boolean byte " + b + " is neither 0 nor 1");
    }
    return b == 1;
  }

  @Override
  public byte[] readBytes(int length) {
    requireElements(length);
    return super.readBytes(length);
  }

  @Override
  public int[] readInts(int length) {
    requireElements(length);
    return super.readInts(length);
  }

  @Override
  public int[] readInts(int length, boolean optimizePositive) {
    requireElements(length);
    return super.readInts(length, optimizePositive);
  }

  @Override
  public long[] readLongs(int length) {
    requireElements(length);
    return super.readLongs(length);
  }

  @Override
  public long[] readLongs(int length, boolean optimizePositive) {
    requireElements(length);
    return super.readLongs(length, optimizePositive);
  }

  @Override
  public float[] readFloats(int length) {
    requireElements(length);
    return super.readFloats(length);
  }

  @Override
  public double[] readDoubles(int length) {
    requireElements(length);
    return super.readDoubles(length);
  }

  @Override
  public short[] readShorts(int length) {
    requireElements(length);
    return super.readShorts(length);
  }

  @Override
  public char[] readChars(int length) {
    requireElements(length);
    return super.readChars(length);
  }

  @Override
  public boolean[] readBooleans(int length) {
    requireElements(length);
    boolean[] values = new boolean[length];
    for (int i = 0; i < length; i++) {
      values[i] = readBoolean();
    }
    return values;
  }

  /** The varint at the current position, not consumed; lengths of arrays are written this way. */
  int peekVarInt() {
    int p = position;
    int result = 0;
    for (int shift = 0; shift <= 28; shift += 7) {
      if (p >= limit) {
        throw new KryoException("buffer underflow in a length");
      }
      int b = buffer[p++];
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    return result;
  }
}
