package io.memjcache.security;

import io.memjcache.codec.CorruptEntryException;
import io.memjcache.codec.EntryFormat;
import io.memjcache.codec.Envelope;
import io.memjcache.codec.EnvelopeCodec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the entries of one cache with AES-256-GCM (NIST SP 800-38D), format 2 of the envelope:
 *
 * <pre>
 *   magic | format 2 | expiresAt int64 | version int64 | key id | nonce (12) | ciphertext | tag (16)
 *   ciphertext = AES-GCM(keyLength int32 | key | value)
 *   associated data = the 19 bytes up to the key id | SHA-256(namespace, cache name) | memcached key
 * </pre>
 *
 * <ul>
 *   <li>Confidential: key and value are encrypted; expiry and version stay in clear (authenticated)
 *       because the cluster reads them to copy items between nodes and to order replicas.
 *   <li>Authentic: a forged, tampered or unsealed item, one sealed with a key not listed, or one
 *       copied under another memcached key, cache or namespace fails to open: {@link
 *       CorruptEntryException}, which reads as absent.
 *   <li>Not fresh: an older sealed value of the same key, replayed by someone who kept it, opens.
 * </ul>
 *
 * <p>Each seal draws a random 96-bit nonce, so one key may seal about 2^32 entries before nonce
 * reuse becomes likely enough to matter (SP 800-38D section 8.3): rotate keys well before. Ciphers
 * ({@link GcmCipher}) and nonce generators ({@link Nonces}) are per thread; keys are derived once,
 * when the key ring is read, and the cache's context digest once per cache.
 */
final class EntrySealer implements EntryFormat {

  private static final int KEY_ID_AT = EnvelopeCodec.CLEAR_HEADER;
  private static final int NONCE_AT = KEY_ID_AT + 1;
  private static final int BODY_AT = NONCE_AT + Nonces.LENGTH;
  /** Bytes a sealed entry has beyond its key and value: header, id, nonce, key length, tag. */
  static final int OVERHEAD = BODY_AT + 4 + GcmCipher.TAG_BITS / 8;

  private final SecretKeySpec[] byId = new SecretKeySpec[256];
  private final int sealingId;
  private final byte[] context;

  EntrySealer(List<SecretKey> keys, String namespace, String cacheName) {
    for (SecretKey key : keys) {
      byId[key.id()] = new SecretKeySpec(key.sealKey(), "AES");
    }
    this.sealingId = keys.get(0).id();
    this.context = contextOf(namespace, cacheName);
  }

  @Override
  public byte[] encode(String memcachedKey, byte[] key, byte[] value, long expiresAtMillis, long version) {
    int bodyLength = 4 + key.length + value.length;
    byte[] out = new byte[OVERHEAD + key.length + value.length];
    EnvelopeCodec.writeClearHeader(out, EnvelopeCodec.SEALED_FORMAT, expiresAtMillis, version);
    out[KEY_ID_AT] = (byte) sealingId;
    Nonces.next(out, NONCE_AT);
    EnvelopeCodec.writeBody(out, BODY_AT, key, value);
    try {
      Cipher cipher = start(Cipher.ENCRYPT_MODE, byId[sealingId], out, memcachedKey);
      cipher.doFinal(out, BODY_AT, bodyLength, out, BODY_AT); // in place; the tag follows
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed to seal an entry", e);
    }
    return out;
  }

  @Override
  public Envelope decode(String memcachedKey, int flags, byte[] bytes) {
    if (!EnvelopeCodec.hasFormat(flags, bytes, EnvelopeCodec.SEALED_FORMAT)) {
      throw new CorruptEntryException("not a sealed entry, and a secret is set (memjcache.secret)");
    }
    if (bytes.length < OVERHEAD) {
      throw new CorruptEntryException("sealed entry of " + bytes.length + " bytes is too short");
    }
    int id = bytes[KEY_ID_AT] & 0xFF;
    if (byId[id] == null) {
      throw new CorruptEntryException("entry sealed with key id " + id + ", which is not listed");
    }
    byte[] body;
    try {
      body = start(Cipher.DECRYPT_MODE, byId[id], bytes, memcachedKey)
          .doFinal(bytes, BODY_AT, bytes.length - BODY_AT);
    } catch (AEADBadTagException e) {
      throw new CorruptEntryException("sealed entry failed authentication (forged, altered or"
          + " moved from another key, cache or namespace)", e);
    } catch (GeneralSecurityException e) {
      throw new CorruptEntryException("sealed entry cannot be opened: " + e.getMessage(), e);
    }
    return EnvelopeCodec.body(body, 0, body.length, EnvelopeCodec.clearExpiresAt(bytes),
        EnvelopeCodec.clearVersion(bytes));
  }

  /** Initialises this thread's cipher for one entry: key, its nonce, the associated data. */
  private Cipher start(int mode, SecretKeySpec key, byte[] item, String memcachedKey)
      throws GeneralSecurityException {
    byte[] name = memcachedKey.getBytes(StandardCharsets.UTF_8);
    int length = KEY_ID_AT + 1 + context.length + name.length;
    GcmCipher gcm = GcmCipher.ofThisThread();
    byte[] associated = gcm.associatedData(length);
    System.arraycopy(item, 0, associated, 0, KEY_ID_AT + 1);
    System.arraycopy(context, 0, associated, KEY_ID_AT + 1, context.length);
    System.arraycopy(name, 0, associated, KEY_ID_AT + 1 + context.length, name.length);
    return gcm.start(mode, key, item, NONCE_AT, length);
  }

  private static byte[] contextOf(String namespace, String cacheName) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : List.of(namespace, cacheName)) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        sha.update(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16),
            (byte) (bytes.length >>> 8), (byte) bytes.length});
        sha.update(bytes);
      }
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
