package io.memjcache.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * The entry envelope rejects every malformed input with {@link CorruptEntryException}, also when the
 * damage comes with a checksum that matches (a writer with a bug, or a forged item), so each header
 * check is exercised on its own; and well-formed envelopes of any size round-trip exactly.
 */
class EnvelopeCorruptionTest {

  static final byte[] KEY = "the key".getBytes(StandardCharsets.UTF_8);
  static final byte[] VALUE = "the value".getBytes(StandardCharsets.UTF_8);

  /** Offsets of the version 1 layout: magic, format, expiresAt, version, keyLength, key, value, crc. */
  static final int MAGIC = 0;
  static final int FORMAT = 1;
  static final int KEY_LENGTH = 18;
  static final int HEADER = 22;

  @Test
  void emptyKeysEmptyValuesAndLargeOnesRoundTripExactly() {
    Random random = new Random(42);
    for (int[] sizes : new int[][] {{0, 0}, {0, 5}, {5, 0}, {1, 1}, {250, 1 << 20}, {10_000, 3}}) {
      byte[] key = new byte[sizes[0]];
      byte[] value = new byte[sizes[1]];
      random.nextBytes(key);
      random.nextBytes(value);
      byte[] bytes = EnvelopeCodec.encode(key, value, Long.MAX_VALUE - 1, Long.MIN_VALUE);
      assertEquals(HEADER + key.length + value.length + 4, bytes.length, "no hidden overhead");
      Envelope e = EnvelopeCodec.decode(EnvelopeCodec.FLAGS, bytes);
      assertArrayEquals(key, Arrays.copyOfRange(e.buffer(), e.keyOffset(), e.keyOffset() + e.keyLength()));
      assertArrayEquals(value, Arrays.copyOfRange(e.buffer(), e.valueOffset(), e.valueOffset() + e.valueLength()));
      assertEquals(Long.MAX_VALUE - 1, e.expiresAtMillis());
      assertEquals(Long.MIN_VALUE, e.version());
      assertTrue(e.hasKey(key) && e.hasValue(value));
    }
  }

  @Test
  void anyFlagsButOursAreForeignEvenOnAPerfectEnvelope() {
    byte[] good = EnvelopeCodec.encode(KEY, VALUE, Envelope.ETERNAL, 1);
    for (int flags : new int[] {0, 1, EnvelopeCodec.FLAGS + 1, EnvelopeCodec.FLAGS << 16, -1, 0x6A74}) {
      CorruptEntryException e = assertCorrupt(flags, good);
      assertTrue(e.getMessage().contains("flags"), e.getMessage());
      assertEquals(Long.MIN_VALUE, EnvelopeCodec.expiresAtOf(flags, good), "no expiry read from foreign items");
    }
  }

  @Test
  void aBadMagicIsCorruptEvenWithAMatchingChecksum() {
    for (int magic : new int[] {0x00, 0xC6, 0xFF, 'V'}) {
      byte[] forged = EnvelopeCodec.encode(KEY, VALUE, 5, 5);
      forged[MAGIC] = (byte) magic;
      reseal(forged);
      assertCorrupt(EnvelopeCodec.FLAGS, forged);
      assertEquals(Long.MIN_VALUE, EnvelopeCodec.expiresAtOf(EnvelopeCodec.FLAGS, forged));
    }
  }

  @Test
  void anUnknownFormatIsCorruptEvenWithAMatchingChecksum() {
    for (int format : new int[] {0, 2, 127, -1}) {
      byte[] forged = EnvelopeCodec.encode(KEY, VALUE, 5, 5);
      forged[FORMAT] = (byte) format;
      reseal(forged);
      CorruptEntryException e = assertCorrupt(EnvelopeCodec.FLAGS, forged);
      assertTrue(e.getMessage().contains("format"), "the message says why: " + e.getMessage());
    }
  }

  @Test
  void aNegativeOrOversizedKeyLengthIsCorruptEvenWithAMatchingChecksum() {
    for (int keyLength : new int[] {-1, -KEY.length, Integer.MIN_VALUE, KEY.length + VALUE.length + 1,
        Integer.MAX_VALUE}) {
      byte[] forged = EnvelopeCodec.encode(KEY, VALUE, 5, 5);
      ByteBuffer.wrap(forged).putInt(KEY_LENGTH, keyLength);
      reseal(forged);
      CorruptEntryException e = assertCorrupt(EnvelopeCodec.FLAGS, forged);
      assertTrue(e.getMessage().contains("length"), "the message says why: " + e.getMessage());
    }
    // the boundary: the whole payload is key, the value empty; still well-formed
    byte[] allKey = EnvelopeCodec.encode(KEY, VALUE, 5, 5);
    ByteBuffer.wrap(allKey).putInt(KEY_LENGTH, KEY.length + VALUE.length);
    reseal(allKey);
    assertEquals(0, EnvelopeCodec.decode(EnvelopeCodec.FLAGS, allKey).valueLength());
  }

  @Test
  void everySingleBitFlipAnywhereIsDetected() {
    byte[] good = EnvelopeCodec.encode(KEY, VALUE, 123_456_789L, 42);
    for (int i = 0; i < good.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] flipped = good.clone();
        flipped[i] ^= (byte) (1 << bit);
        assertCorrupt(EnvelopeCodec.FLAGS, flipped);
      }
    }
  }

  @Test
  void truncatedOrExtendedBytesAreDetected() {
    byte[] good = EnvelopeCodec.encode(KEY, VALUE, 1, 1);
    for (int length = 0; length < good.length; length++) {
      assertCorrupt(EnvelopeCodec.FLAGS, Arrays.copyOf(good, length));
    }
    assertCorrupt(EnvelopeCodec.FLAGS, Arrays.copyOf(good, good.length + 1));
    byte[] twice = Arrays.copyOf(good, 2 * good.length);
    System.arraycopy(good, 0, twice, good.length, good.length);
    assertCorrupt(EnvelopeCodec.FLAGS, twice);
    assertCorrupt(EnvelopeCodec.FLAGS, new byte[0]);
  }

  @Test
  void randomGarbageIsNeverAcceptedAndNeverThrowsAnythingElse() {
    Random random = new Random(7);
    for (int i = 0; i < 5_000; i++) {
      byte[] garbage = new byte[random.nextInt(64)];
      random.nextBytes(garbage);
      if (garbage.length > 1 && random.nextBoolean()) {
        garbage[MAGIC] = (byte) 0xC7; // get past the first check more often
        garbage[FORMAT] = 1;
      }
      assertCorrupt(EnvelopeCodec.FLAGS, garbage);
    }
  }

  // ------------------------------------------------------------------ helpers

  /** Rewrites the trailing CRC32C so that only the deliberate damage remains. */
  private static void reseal(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
  }

  private static CorruptEntryException assertCorrupt(int flags, byte[] bytes) {
    return assertThrows(CorruptEntryException.class, () -> EnvelopeCodec.decode(flags, bytes),
        () -> "accepted " + Arrays.toString(bytes));
  }
}
