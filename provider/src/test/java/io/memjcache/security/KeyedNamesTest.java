package io.memjcache.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.codec.KeyCodec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
}
