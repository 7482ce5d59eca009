package io.memjcache.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class GcmCipherTest {

  static final SecretKeySpec KEY_A = aesKey(1);
  static final SecretKeySpec KEY_B = aesKey(2);
  static final byte[] TEXT = "keyLength | key | value".getBytes(StandardCharsets.UTF_8);
  static final int NONCE_AT = 3;

  private static SecretKeySpec aesKey(int seed) {
    byte[] key = new byte[32];
    new Random(seed).nextBytes(key);
    return new SecretKeySpec(key, "AES");
  }

  /** An item of a 3-byte header, the nonce, then the ciphertext and tag of {@link #TEXT}. */
  private static byte[] seal(SecretKeySpec key, byte[] associated) throws Exception {
    byte[] item = new byte[NONCE_AT + Nonces.LENGTH + TEXT.length + GcmCipher.TAG_BITS / 8];
    Nonces.next(item, NONCE_AT);
    GcmCipher gcm = GcmCipher.ofThisThread();
    System.arraycopy(associated, 0, gcm.associatedData(associated.length), 0, associated.length);
    gcm.start(Cipher.ENCRYPT_MODE, key, item, NONCE_AT, associated.length)
        .doFinal(TEXT, 0, TEXT.length, item, NONCE_AT + Nonces.LENGTH);
    return item;
  }

  private static byte[] open(SecretKeySpec key, byte[] associated, byte[] item) throws Exception {
    GcmCipher gcm = GcmCipher.ofThisThread();
    System.arraycopy(associated, 0, gcm.associatedData(associated.length), 0, associated.length);
    int body = NONCE_AT + Nonces.LENGTH;
    return gcm.start(Cipher.DECRYPT_MODE, key, item, NONCE_AT, associated.length)
        .doFinal(item, body, item.length - body);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anItemSealedWithOneKeyDoesNotOpenWithAnotherOnTheSameThread() throws Exception {
    byte[] item = seal(KEY_A, bytes("cache one"));
    assertThrows(AEADBadTagException.class, () -> open(KEY_B, bytes("cache one"), item));
    assertArrayEquals(TEXT, open(KEY_A, bytes("cache one"), item), "a failed open leaves nothing behind");
    byte[] other = seal(KEY_B, bytes("cache one"));
    assertThrows(AEADBadTagException.class, () -> open(KEY_A, bytes("cache one"), other));
    assertArrayEquals(TEXT, open(KEY_B, bytes("cache one"), other));
    assertArrayEquals(TEXT, open(KEY_A, bytes("cache one"), item), "the first key after the second");
  }

  @Test
  void theAssociatedDataIsExactlyTheBytesAssembledForThisEntry() throws Exception {
    byte[] longer = new byte[300];
    Arrays.fill(longer, (byte) 'x');
    seal(KEY_A, longer);
    byte[] item = seal(KEY_A, bytes("short"));
    Cipher independent = Cipher.getInstance("AES/GCM/NoPadding");
    independent.init(Cipher.DECRYPT_MODE, KEY_A, new GCMParameterSpec(128, item, NONCE_AT, Nonces.LENGTH));
    independent.updateAAD(bytes("short"));
    int body = NONCE_AT + Nonces.LENGTH;
    assertArrayEquals(TEXT, independent.doFinal(item, body, item.length - body),
        "nothing of the longer associated data before it");
    assertThrows(AEADBadTagException.class, () -> open(KEY_A, bytes("shorT"), item));
  }

  @Test
  void theBufferGrowsToTheLengthAsked() {
    assertTrue(GcmCipher.ofThisThread().associatedData(5_000).length >= 5_000);
  }
}
