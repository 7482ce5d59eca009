package io.memjcache.security;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256, the one keyed hash of this package (names, signatures, HKDF). */
final class Hmac {

  static final String ALGORITHM = "HmacSHA256";

  private Hmac() {}

  /** Returns a Mac initialised with {@code key}; not thread-safe, like every Mac. */
  static Mac sha256(byte[] key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has " + ALGORITHM, e);
    }
  }

  /** Feeds {@code part} preceded by its length, so that no two lists of parts feed equal bytes. */
  static void updateDelimited(Mac mac, byte[] part) {
    int n = part.length;
    mac.update((byte) (n >>> 24));
    mac.update((byte) (n >>> 16));
    mac.update((byte) (n >>> 8));
    mac.update((byte) n);
    mac.update(part);
  }
}
