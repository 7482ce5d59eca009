package io.memjcache.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Cache key to memcached key (pure): always a legal memcached key (1..250 printable, no space or
 * control character), unique per key bytes and per keyspace, readable (base64url) while it fits
 * and a SHA-256 digest marked with '#' from the first byte that would not.
 */
class KeyCodecTest {

  @Test
  void everyKeyLengthGivesALegalMemcachedKeyAndHashesExactlyPastTheLimit() {
    // the longest generation there is, so the longest prefix
    KeyCodec codec = new KeyCodec("memjcache:app", "users").generation(Long.MAX_VALUE);
    Random random = new Random(1);
    boolean hashedBefore = false;
    Set<String> seen = new HashSet<>();
    for (int length = 0; length <= 400; length++) {
      byte[] key = new byte[length];
      random.nextBytes(key);
      String mkey = codec.memcachedKey(key);
      assertTrue(mkey.length() >= 1 && mkey.length() <= KeyCodec.MAX_KEY_LENGTH, length + ": " + mkey.length());
      assertTrue(mkey.chars().allMatch(c -> c > ' ' && c < 127), "printable, no space: " + mkey);
      assertTrue(mkey.startsWith(codec.prefix()));
      assertTrue(KeyCodec.isEntryKey(mkey));
      boolean hashed = mkey.startsWith(codec.prefix() + "#");
      int readableLength = codec.prefix().length() + (length + 2) / 3 * 4;
      assertEquals(readableLength > KeyCodec.MAX_KEY_LENGTH, hashed,
          "hashed exactly when the readable form would pass 250 bytes (key of " + length + " bytes)");
      assertTrue(!hashedBefore || hashed, "once keys are long enough to hash, longer ones hash too");
      hashedBefore = hashed;
      assertTrue(seen.add(mkey), "distinct key bytes, distinct memcached keys");
    }
    assertTrue(hashedBefore, "400-byte keys are hashed");
  }

  @Test
  void generationsOfACacheNeverShareANameAndStayEntryKeys() {
    KeyHasher hasher = parts -> {
      try {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (byte[] part : parts) {
          digest.update((byte) part.length); // delimited enough for these short parts
          digest.update(part);
        }
        return digest.digest();
      } catch (NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    };
    for (KeyCodec cache : new KeyCodec[] {new KeyCodec("ns", "c"), KeyCodec.keyed("ns", "c", hasher)}) {
      KeyCodec first = cache.generation(1_764_560_000_000L);
      KeyCodec second = cache.generation(1_764_560_000_001L);
      byte[] key = {1, 2, 3};
      assertTrue(first.prefix().startsWith(cache.prefix()), first.prefix());
      assertNotEquals(first.memcachedKey(key), second.memcachedKey(key));
      assertFalse(second.memcachedKey(key).startsWith(first.prefix()), "one generation's listing misses the other");
      assertTrue(KeyCodec.isEntryKey(first.memcachedKey(key)));
      assertEquals(first.memcachedKey(key), cache.generation(1_764_560_000_000L).memcachedKey(key));
    }
  }

  @Test
  void theSameBytesAlwaysGiveTheSameKeyAndOneByteMoreOrLessAnother() {
    KeyCodec codec = new KeyCodec("ns", "c");
    byte[] longKey = new byte[5000];
    assertEquals(codec.memcachedKey(longKey), new KeyCodec("ns", "c").memcachedKey(longKey.clone()));
    byte[] changed = longKey.clone();
    changed[4999] = 1;
    assertNotEquals(codec.memcachedKey(longKey), codec.memcachedKey(changed));
    assertNotEquals(codec.memcachedKey(new byte[] {0}), codec.memcachedKey(new byte[] {0, 0}));
    assertNotEquals(codec.memcachedKey(new byte[0]), codec.memcachedKey(new byte[] {0}));
  }

  @Test
  void eachNamespaceAndCacheNameHasItsOwnPrefix() {
    Set<String> prefixes = new HashSet<>();
    for (String namespace : new String[] {"memjcache:default", "memjcache:other", "tenant-1", "", "a"}) {
      for (String cache : new String[] {"users", "Users", "orders", "", "a"}) {
        String prefix = new KeyCodec(namespace, cache).prefix();
        assertEquals(13, prefix.length());
        assertTrue(prefix.endsWith(":"));
        assertTrue(prefixes.add(prefix), "prefix of " + namespace + "/" + cache + " is unique");
      }
    }
    // the separator keeps "ab"+"c" apart from "a"+"bc"
    assertNotEquals(new KeyCodec("ab", "c").prefix(), new KeyCodec("a", "bc").prefix());
    assertEquals(new KeyCodec("ns", "c").prefix(), new KeyCodec("ns", "c").prefix());
  }

  @Test
  void aTinyLimitHashesEveryKeyAndStillSeparatesThem() {
    KeyCodec tiny = new KeyCodec("ns", "c", 16); // 13-char prefix + 4 chars of one byte > 16
    String a = tiny.memcachedKey(new byte[] {1});
    String b = tiny.memcachedKey(new byte[] {2});
    assertTrue(a.startsWith(tiny.prefix() + "#") && b.startsWith(tiny.prefix() + "#"));
    assertNotEquals(a, b);
  }

  @Test
  void onlyKeysShapedLikeOursAreRecognised() {
    assertTrue(KeyCodec.isEntryKey(new KeyCodec("x", "y").prefix() + "AAAA"));
    assertTrue(KeyCodec.isEntryKey(new KeyCodec("x", "y").prefix() + "#abc"));
    assertFalse(KeyCodec.isEntryKey("memjcache:ping"));
    assertFalse(KeyCodec.isEntryKey("session:0123456789"));
    assertFalse(KeyCodec.isEntryKey("abcdefghijkl"), "a prefix without its colon");
    assertFalse(KeyCodec.isEntryKey("abcdefghij.l:x"), "a character base64url does not have");
    assertFalse(KeyCodec.isEntryKey(""));
  }

  @Test
  void readableKeysAreThePrefixAndTheJdksBase64urlOfTheBytes() {
    KeyCodec codec = new KeyCodec("memjcache:app", "users");
    java.util.Base64.Encoder jdk = java.util.Base64.getUrlEncoder().withoutPadding();
    Random random = new Random(3);
    for (int length = 0; length <= 176; length++) {
      for (int round = 0; round < 20; round++) {
        byte[] key = new byte[length];
        random.nextBytes(key);
        assertEquals(codec.prefix() + jdk.encodeToString(key), codec.memcachedKey(key), "length " + length);
      }
    }
  }
}
