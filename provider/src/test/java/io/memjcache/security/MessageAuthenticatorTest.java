package io.memjcache.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageAuthenticatorTest {

  static final byte[] MARK = "epoch 42, switch at 1700000000000".getBytes(StandardCharsets.UTF_8);

  private static MessageAuthenticator of(String secret) {
    return KeyRing.parse("memjcache.secret", secret).authenticator();
  }

  @Test
  void aTagVerifiesWithAnyListedKeyAndNotOtherwise() {
    byte[] tag = of(EntrySealerTest.OLD).tag(MARK);
    assertEquals(33, tag.length);
    assertEquals(1, tag[0]);
    assertTrue(of(EntrySealerTest.OLD).verify(MARK, tag));
    assertTrue(of(EntrySealerTest.NEW + "," + EntrySealerTest.OLD).verify(MARK, tag), "rotation");
    assertFalse(of(EntrySealerTest.NEW).verify(MARK, tag), "key no longer listed");
    assertEquals(2, of(EntrySealerTest.NEW + "," + EntrySealerTest.OLD).tag(MARK)[0], "the first key signs");
  }

  @Test
  void anAlteredMessageOrTagFails() {
    MessageAuthenticator auth = of(EntrySealerTest.OLD);
    byte[] tag = auth.tag(MARK);
    byte[] message = MARK.clone();
    message[3] ^= 1;
    assertFalse(auth.verify(message, tag));
    for (int i = 0; i < tag.length; i++) {
      byte[] altered = tag.clone();
      altered[i] ^= 1;
      assertFalse(auth.verify(MARK, altered), "tag byte " + i);
    }
    assertFalse(auth.verify(MARK, new byte[0]));
  }

  @Test
  void withoutASecretTagsAreEmptyAndOnlyAnEmptyTagVerifies() {
    MessageAuthenticator none = KeyRing.NONE.authenticator();
    assertEquals(0, none.tag(MARK).length);
    assertTrue(none.verify(MARK, new byte[0]));
    assertFalse(none.verify(MARK, of(EntrySealerTest.OLD).tag(MARK)));
  }
}
