package io.memjcache.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.memjcache.codec.CorruptEntryException;
import io.memjcache.codec.EntryFormat;
import io.memjcache.codec.Envelope;
import io.memjcache.codec.EnvelopeCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntrySealerTest {

  static final String OLD = "1=" + key(1);
  static final String NEW = "2=" + key(2);
  static final byte[] KEY = "the key".getBytes(StandardCharsets.UTF_8);
  static final byte[] VALUE = "the value, confidential".getBytes(StandardCharsets.UTF_8);
  static final int FLAGS = EnvelopeCodec.FLAGS;

  private static String key(int seed) {
    return Base64.getEncoder().encodeToString(material(seed));
  }

  static byte[] material(int seed) {
    byte[] key = new byte[32];
    new Random(seed).nextBytes(key);
    return key;
  }

  private static EntryFormat format(String secret, String namespace, String cache) {
    return KeyRing.parse("memjcache.secret", secret).entryFormat(namespace, cache);
  }

  private static byte[] seal(EntryFormat format, String name) {
    return format.encode(name, KEY, VALUE, 1234L, 99L);
  }

  private static void assertOpens(EntryFormat format, String name, byte[] sealed) {
    Envelope e = format.decode(name, FLAGS, sealed);
    assertArrayEquals(KEY, Arrays.copyOfRange(e.buffer(), e.keyOffset(), e.keyOffset() + e.keyLength()));
    assertArrayEquals(VALUE, Arrays.copyOfRange(e.buffer(), e.valueOffset(), e.valueOffset() + e.valueLength()));
    assertEquals(1234L, e.expiresAtMillis());
    assertEquals(99L, e.version());
  }

  private static void assertRefused(EntryFormat format, String name, byte[] bytes) {
    assertThrows(CorruptEntryException.class, () -> format.decode(name, FLAGS, bytes));
  }

  @Test
  void sealsAndOpensWithAFixedOverheadAndAFreshNonceEachTime() {
    EntryFormat f = format(OLD, "ns", "c");
    byte[] one = seal(f, "name");
    byte[] two = seal(f, "name");
    assertOpens(f, "name", one);
    assertEquals(KEY.length + VALUE.length + EntrySealer.OVERHEAD, one.length);
    assertEquals(51, EntrySealer.OVERHEAD, "clear header 18, key id 1, nonce 12, key length 4, tag 16");
    assertFalse(Arrays.equals(one, two), "a random nonce per seal");
    String text = new String(one, StandardCharsets.ISO_8859_1);
    assertFalse(text.contains("the key") || text.contains("confidential"));
  }

  @Test
  void theClusterStillReadsExpiryAndVersionFromTheClearHeader() {
    byte[] sealed = seal(format(OLD, "ns", "c"), "name");
    assertEquals(1234L, EnvelopeCodec.expiresAtOf(FLAGS, sealed));
    assertEquals(99L, EnvelopeCodec.versionOf(FLAGS, sealed));
  }

  @Test
  void plainForgedMovedAlteredOrTruncatedItemsAreRefused() {
    EntryFormat f = format(OLD, "ns", "c");
    byte[] sealed = seal(f, "name");
    assertRefused(f, "name", EnvelopeCodec.encode(KEY, VALUE, Long.MAX_VALUE, 1));
    assertRefused(f, "other name", sealed);
    assertRefused(format(OLD, "ns", "other cache"), "name", sealed);
    assertRefused(format(OLD, "other ns", "c"), "name", sealed);
    assertRefused(format("1=" + key(3), "ns", "c"), "name", sealed);
    assertThrows(CorruptEntryException.class, () -> f.decode("name", 0, sealed));
    for (int i = 0; i < sealed.length; i++) {
      byte[] altered = sealed.clone();
      altered[i] ^= (byte) 0x80;
      assertRefused(f, "name", altered);
    }
    for (int length = 0; length < sealed.length; length++) {
      assertRefused(f, "name", Arrays.copyOf(sealed, length));
    }
  }

  @Test
  void rotationOpensOldSealsAndSealsWithTheFirstKey() {
    byte[] old = seal(format(OLD, "ns", "c"), "name");
    EntryFormat rotated = format(NEW + "\n" + OLD, "ns", "c");
    assertOpens(rotated, "name", old);
    byte[] fresh = seal(rotated, "name");
    assertEquals(2, fresh[EnvelopeCodec.CLEAR_HEADER], "key id of the first key");
    assertOpens(format(NEW, "ns", "c"), "name", fresh);
    assertRefused(format(OLD, "ns", "c"), "name", fresh);
  }

  @Test
  void opensAnEntrySealedByAnEarlierVersion() {
    // sealed by main at 2fa2536 (before the sealing CPU work): format and associated data are unchanged
    byte[] sealed = HexFormat.of().parseHex("c70200000000000004d20000000000000063018bf3a1f818d79a662c7c6da01ae6d2"
        + "0df975093adcf901fb1d9336d087e6b9bc73c7a6efc3d0065725b3a5b6c417d514");
    Envelope e = format(OLD, "ns", "c").decode("BvX9-in1UELo:PwoRWliHKg_FDfTRblEhGUtx", FLAGS, sealed);
    assertArrayEquals(KEY, Arrays.copyOfRange(e.buffer(), e.keyOffset(), e.keyOffset() + e.keyLength()));
    assertEquals("the value", new String(e.buffer(), e.valueOffset(), e.valueLength(), StandardCharsets.UTF_8));
    assertEquals(1234L, e.expiresAtMillis());
    assertEquals(99L, e.version());
  }
}
