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
}
