package io.memjcache.security;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The current thread's AES-GCM {@link Cipher} and the buffer in which the associated data of one
 * entry is assembled, both reused for every entry the thread seals or opens.
 *
 * <ul>
 *   <li>Nothing carries over from one entry to the next: {@link #start} initialises the cipher with
 *       the entry's key and nonce ({@link Cipher#init} resets all earlier state), and feeds exactly
 *       the {@code length} bytes the caller assembled, never a longer earlier entry's rest.
 *   <li>One {@code updateAAD} call per entry: the JDK's GCM buffers associated data and grows that
 *       buffer on each further call.
 *   <li>A {@link Cipher} is not thread-safe; each thread has its own, so no lock is taken.
 * </ul>
 */
final class GcmCipher {

  static final int TAG_BITS = 128;

  private static final ThreadLocal<GcmCipher> OF_THREAD = ThreadLocal.withInitial(GcmCipher::new);

  private final Cipher cipher = newCipher();
  private byte[] associated = new byte[128];

  private GcmCipher() {}

  static GcmCipher ofThisThread() {
    return OF_THREAD.get();
  }

  /**
   * This thread's buffer for associated data, at least {@code length} bytes long; valid until the
   * next call on this thread.
   */
  byte[] associatedData(int length) {
    if (associated.length < length) {
      associated = new byte[Math.max(length, 2 * associated.length)];
    }
    return associated;
  }

  /**
   * Initialises the cipher for one entry: {@code mode}, {@code key}, the nonce at {@code nonceAt}
   * of {@code item}, and the first {@code associatedLength} bytes of {@link #associatedData}.
   */
  Cipher start(int mode, SecretKeySpec key, byte[] item, int nonceAt, int associatedLength)
      throws GeneralSecurityException {
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, item, nonceAt, Nonces.LENGTH));
    cipher.updateAAD(associated, 0, associatedLength);
    return cipher;
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has AES/GCM/NoPadding", e);
    }
  }
}
