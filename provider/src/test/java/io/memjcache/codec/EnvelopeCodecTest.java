package io.memjcache.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

  static final byte[] KEY = "key".getBytes(StandardCharsets.UTF_8);
  static final byte[] VALUE = "value".getBytes(StandardCharsets.UTF_8);

  @Test
  void roundTripKeepsKeyValueExpiryAndVersion() {
    Envelope e = EnvelopeCodec.decode(EnvelopeCodec.FLAGS, EnvelopeCodec.encode(KEY, VALUE, 1234L, 99L));
    assertTrue(e.hasKey(KEY));
    assertFalse(e.hasKey("other".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.hasValue(VALUE));
    assertArrayEquals(VALUE, Arrays.copyOfRange(e.buffer(), e.valueOffset(), e.valueOffset() + e.valueLength()));
    assertEquals(1234L, e.expiresAtMillis());
    assertEquals(99L, e.version());
    assertTrue(e.isExpiredAt(1234L), "expired at its expiry time");
    assertFalse(e.isExpiredAt(1233L));
    assertEquals(1234L, EnvelopeCodec.expiresAtOf(EnvelopeCodec.FLAGS, EnvelopeCodec.encode(KEY, VALUE, 1234L, 1)));
  }

  @Test
  void foreignFlagsBadMagicUnknownFormatChecksumAndTruncationAreCorrupt() {
    byte[] good = EnvelopeCodec.encode(KEY, VALUE, Envelope.ETERNAL, 1);
    assertCorrupt(0, good);
    byte[] magic = good.clone();
    magic[0] = 0;
    assertCorrupt(EnvelopeCodec.FLAGS, magic);
    byte[] format = good.clone();
    format[1] = 9;
    assertCorrupt(EnvelopeCodec.FLAGS, format);
    for (int i = 2; i < good.length; i++) {
      byte[] flipped = good.clone();
      flipped[i] ^= 0x01;
      assertCorrupt(EnvelopeCodec.FLAGS, flipped);
    }
    for (int length = 0; length < good.length; length++) {
      assertCorrupt(EnvelopeCodec.FLAGS, Arrays.copyOf(good, length));
    }
    assertCorrupt(EnvelopeCodec.FLAGS, null);
  }

  @Test
  void aKeyLengthPastTheEndIsCorruptEvenWithAValidChecksum() {
    byte[] bad = EnvelopeCodec.encode(KEY, VALUE, 1, 1);
    ByteBuffer.wrap(bad).putInt(18, 1000);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bad, 0, bad.length - 4);
    ByteBuffer.wrap(bad).putInt(bad.length - 4, (int) crc.getValue());
    assertCorrupt(EnvelopeCodec.FLAGS, bad);
  }

  @Test
  void keyCodecHashesKeysPastTheLimitAndKeepsShortOnesReadable() {
    KeyCodec codec = new KeyCodec("ns", "cache");
    String shortKey = codec.memcachedKey(KEY);
    assertTrue(shortKey.startsWith(codec.prefix()));
    assertTrue(KeyCodec.isEntryKey(shortKey));
    String longKey = codec.memcachedKey(new byte[1000]);
    assertTrue(longKey.length() <= KeyCodec.MAX_KEY_LENGTH);
    assertTrue(longKey.startsWith(codec.prefix() + "#"));
    assertFalse(new KeyCodec("ns", "other").prefix().equals(codec.prefix()));
    assertFalse(new KeyCodec("ns2", "cache").prefix().equals(codec.prefix()));
    assertFalse(KeyCodec.isEntryKey("session:abc"));
  }

  private static void assertCorrupt(int flags, byte[] bytes) {
    assertThrows(CorruptEntryException.class, () -> EnvelopeCodec.decode(flags, bytes));
  }

  @Test
  void theLayoutIsVersionOnesBigEndianBytesWithACrc32cTrailer() {
    byte[] encoded = EnvelopeCodec.encode(KEY, VALUE, 0x0102030405060708L, -2L);
    ByteBuffer expected = ByteBuffer.allocate(22 + KEY.length + VALUE.length + 4);
    expected.put((byte) 0xC7).put((byte) 1).putLong(0x0102030405060708L).putLong(-2L).putInt(KEY.length);
    expected.put(KEY).put(VALUE);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(expected.array(), 0, expected.position());
    expected.putInt((int) crc.getValue());
    assertArrayEquals(expected.array(), encoded);
    assertEquals(0x0102030405060708L, EnvelopeCodec.expiresAtOf(EnvelopeCodec.FLAGS, encoded));
    assertEquals(-2L, EnvelopeCodec.versionOf(EnvelopeCodec.FLAGS, encoded));
  }
}
