package io.memjcache.security;

import java.nio.charset.StandardCharsets;

/**
 * HKDF with HMAC-SHA256 (RFC 5869): turns one secret into independent subkeys, one per purpose
 * label, so that a key used to seal entries is never also used to name them or to sign marks.
 */
final class Hkdf {

  private static final int HASH_LENGTH = 32;
  /** A fixed, public salt (RFC 5869 section 3.1: optional; it separates us from other HKDF users). */
  private static final byte[] SALT = "io.memjcache HKDF salt v1".getBytes(StandardCharsets.US_ASCII);

  private Hkdf() {}

  /** Returns a 256-bit subkey of {@code secret} for the purpose {@code label}. */
  static byte[] subkey(byte[] secret, String label) {
    return derive(SALT, secret, label.getBytes(StandardCharsets.UTF_8), HASH_LENGTH);
  }

  /** RFC 5869 HKDF-Extract then HKDF-Expand to {@code length} bytes. */
  static byte[] derive(byte[] salt, byte[] secret, byte[] info, int length) {
    if (length > 255 * HASH_LENGTH) {
      throw new IllegalArgumentException("HKDF output too long: " + length);
    }
    byte[] prk = hmac(salt, secret); // extract
    byte[] out = new byte[length];
    byte[] block = new byte[0];
    for (int i = 0, done = 0; done < length; i++) { // expand: T(i) = HMAC(PRK, T(i-1) | info | i)
      byte[] input = new byte[block.length + info.length + 1];
      System.arraycopy(block, 0, input, 0, block.length);
      System.arraycopy(info, 0, input, block.length, info.length);
      input[input.length - 1] = (byte) (i + 1);
      block = hmac(prk, input);
      int n = Math.min(block.length, length - done);
      System.arraycopy(block, 0, out, done, n);
      done += n;
    }
    return out;
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    return Hmac.sha256(key).doFinal(data);
  }
}
