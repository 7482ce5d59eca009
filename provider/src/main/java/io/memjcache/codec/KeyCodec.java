package io.memjcache.codec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Maps a cache key to a memcached key: {@code <cache prefix><base64url of the serialized key>}.
 *
 * <ul>
 *   <li>The prefix is a digest of namespace and cache name, so equal keys of two caches, managers or
 *       applications never meet, and the keys of one cache can be told apart in a metadump.
 *   <li>Base64url keeps any key (spaces, binary, unicode) inside memcached's key alphabet.
 *   <li>A key whose encoding would pass memcached's 250-byte limit is replaced by the SHA-256 of its
 *       bytes, marked with {@code #}. The full key stays in the entry envelope and every read
 *       compares it, so a digest collision is a miss, never another key's value.
 * </ul>
 */
public final class KeyCodec {

  /** memcached's key length limit (protocol.txt, "Keys"). */
  public static final int MAX_KEY_LENGTH = 250;

  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  private final String prefix;
  private final int maxLength;

  public KeyCodec(String namespace, String cacheName) {
    this(namespace, cacheName, MAX_KEY_LENGTH);
  }

  KeyCodec(String namespace, String cacheName, int maxLength) {
    byte[] digest = sha256((namespace + '\u0000' + cacheName).getBytes(StandardCharsets.UTF_8));
    this.prefix = BASE64.encodeToString(java.util.Arrays.copyOf(digest, 9)) + ":";
    this.maxLength = maxLength;
  }

  /** Returns if a memcached key has the shape of this provider's keys (a cache prefix, then ':'). */
  public static boolean isEntryKey(String memcachedKey) {
    if (memcachedKey.length() < 13 || memcachedKey.charAt(12) != ':') {
      return false;
    }
    for (int i = 0; i < 12; i++) {
      char c = memcachedKey.charAt(i);
      boolean base64url = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
          || c == '-' || c == '_';
      if (!base64url) {
        return false;
      }
    }
    return true;
  }

  /** The prefix every memcached key of this cache starts with. */
  public String prefix() {
    return prefix;
  }

  /** Returns the memcached key for serialized key bytes. */
  public String memcachedKey(byte[] keyBytes) {
    int encodedLength = (keyBytes.length + 2) / 3 * 4;
    if (prefix.length() + encodedLength <= maxLength) {
      return prefix + BASE64.encodeToString(keyBytes);
    }
    return prefix + "#" + BASE64.encodeToString(sha256(keyBytes));
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
