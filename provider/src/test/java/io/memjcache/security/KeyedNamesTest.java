package io.memjcache.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.codec.KeyCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class KeyedNamesTest {

  static final byte[] KEY = "alice@example.com".getBytes(StandardCharsets.UTF_8);

  private static KeyCodec codec(String secret, String namespace, String cache) {
    return KeyRing.parse("memjcache.secret", secret).keyCodec(namespace, cache);
  }

  @Test
  void namesHaveTheEntryKeyShapeAndRevealNothing() {
    String name = codec(EntrySealerTest.OLD, "ns", "c").memcachedKey(KEY);
    assertTrue(KeyCodec.isEntryKey(name), name);
    assertEquals(12 + 1 + 24, name.length());
    assertFalse(name.contains(Base64.getUrlEncoder().withoutPadding().encodeToString(KEY).substring(0, 8)));
    assertNotEquals(new KeyCodec("ns", "c").prefix(), codec(EntrySealerTest.OLD, "ns", "c").prefix());
    assertEquals(name.length(), codec(EntrySealerTest.OLD, "ns", "c").memcachedKey(new byte[10_000]).length(),
        "long keys need no separate digest form");
  }

  @Test
  void namesDependOnSecretNamespaceCacheAndKey() {
    String name = codec(EntrySealerTest.OLD, "ns", "c").memcachedKey(KEY);
    assertNotEquals(name, codec(EntrySealerTest.NEW, "ns", "c").memcachedKey(KEY));
    assertNotEquals(name, codec(EntrySealerTest.OLD, "ns2", "c").memcachedKey(KEY));
    assertNotEquals(name, codec(EntrySealerTest.OLD, "ns", "c2").memcachedKey(KEY));
    assertNotEquals(name, codec(EntrySealerTest.OLD, "ns", "c").memcachedKey("bob".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theLastListedKeyNamesSoAddingANewFirstKeyKeepsEveryName() {
    assertEquals(codec(EntrySealerTest.OLD, "ns", "c").memcachedKey(KEY),
        codec(EntrySealerTest.NEW + "," + EntrySealerTest.OLD, "ns", "c").memcachedKey(KEY));
  }

  @Test
  void namesAreThoseOfEarlierVersionsSoEntriesStayReachableAcrossAnUpgrade() {
    // computed by main at 2fa2536 (before the sealing CPU work) for this secret, namespace, cache and key
    assertEquals("BvX9-in1UELo:PwoRWliHKg_FDfTRblEhGUtx",
        codec(EntrySealerTest.OLD, "ns", "c").memcachedKey(EntrySealerTest.KEY));
  }

  @Test
  void aNameIsTheHmacOfTheLengthDelimitedPrefixAndKeyAlsoForLongKeys() throws Exception {
    KeyCodec codec = codec(EntrySealerTest.OLD, "ns", "c");
    Mac reference = Mac.getInstance("HmacSHA256");
    reference.init(new SecretKeySpec(SecretKey.derive(1, EntrySealerTest.material(1)).nameKey(), "HmacSHA256"));
    for (int length : new int[] {0, 1, 100, 10_000}) {
      byte[] key = new byte[length];
      new Random(length).nextBytes(key);
      byte[] prefix = codec.prefix().getBytes(StandardCharsets.US_ASCII);
      ByteBuffer input = ByteBuffer.allocate(8 + prefix.length + length);
      input.putInt(prefix.length).put(prefix).putInt(length).put(key);
      byte[] mac = reference.doFinal(input.array());
      assertEquals(codec.prefix() + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(mac, 18)),
          codec.memcachedKey(key), "key of " + length + " bytes");
    }
  }
}
