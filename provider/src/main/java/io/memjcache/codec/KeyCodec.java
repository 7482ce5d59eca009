package io.memjcache.codec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Maps a cache key to a memcached key: {@code <cache prefix><generation>:<base64url of the serialized
 * key>}.
 *
 * <ul>
 *   <li>The prefix is a digest of namespace and cache name, so equal keys of two caches, managers or
 *       applications never meet, and the keys of one cache can be told apart in a metadump.
 *   <li>Base64url keeps any key (spaces, binary, unicode) inside memcached's key alphabet.
 *   <li>A key whose encoding would pass memcached's 250-byte limit is replaced by the SHA-256 of its
 *       bytes, marked with {@code #}. The full key stays in the entry envelope and every read
 *       compares it, so a digest collision is a miss, never another key's value.
 *   <li>{@linkplain #keyed Keyed} (with a secret): prefix and key part are a {@link KeyHasher}'s
 *       hashes instead, {@code <12 chars>:<24 chars>}, so a key listing reveals neither the cache
 *       nor the key; the full key is inside the sealed entry, which every read compares.
 * </ul>
 */
public final class KeyCodec {

  /** memcached's key length limit (protocol.txt, "Keys"). */
  public static final int MAX_KEY_LENGTH = 250;

  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  /** RFC 4648 section 5, the alphabet of {@link #BASE64}. */
  private static final byte[] URL_SAFE =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(StandardCharsets.US_ASCII);

  /** Bytes of a keyed hash kept in a key name: 144 bits, 24 base64url characters. */
  private static final int KEYED_HASH_BYTES = 18;

  private final String prefix;
  private final byte[] prefixBytes;
  private final int maxLength;
  private final @Nullable KeyHasher hasher;

  public KeyCodec(String namespace, String cacheName) {
    this(namespace, cacheName, MAX_KEY_LENGTH);
  }

  KeyCodec(String namespace, String cacheName, int maxLength) {
    this(prefixOf(sha256((namespace + '\u0000' + cacheName).getBytes(StandardCharsets.UTF_8))),
        maxLength, null);
  }

  private KeyCodec(String prefix, int maxLength, @Nullable KeyHasher hasher) {
    this.prefix = prefix;
    this.prefixBytes = prefix.getBytes(StandardCharsets.US_ASCII);
    this.maxLength = maxLength;
    this.hasher = hasher;
  }

  /** Key names hashed with {@code hasher}: they reveal neither cache nor key without its key. */
  public static KeyCodec keyed(String namespace, String cacheName, KeyHasher hasher) {
    byte[] digest = hasher.hash(namespace.getBytes(StandardCharsets.UTF_8),
        cacheName.getBytes(StandardCharsets.UTF_8));
    return new KeyCodec(prefixOf(digest), MAX_KEY_LENGTH, hasher);
  }

  /** 72 bits of a digest, 12 base64url characters, then ':' ({@link #isEntryKey}'s shape). */
  private static String prefixOf(byte[] digest) {
    return BASE64.encodeToString(java.util.Arrays.copyOf(digest, 9)) + ":";
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

  /** The prefix every memcached key of this cache (of this {@linkplain #generation generation}) starts with. */
  public String prefix() {
    return prefix;
  }

  /**
   * The keys of one generation of this cache: the prefix gains the generation and ':', so entries of
   * two generations never share a name, and {@code clear()} moves a cache to a new generation instead
   * of deleting its items. Keyed names hash the whole prefix, generation included.
   */
  public KeyCodec generation(long generation) {
    if (generation < 1) {
      throw new IllegalArgumentException("a generation is positive, got " + generation);
    }
    return new KeyCodec(prefix + Long.toString(generation, 36) + ":", maxLength, hasher);
  }

  /** Returns the memcached key for serialized key bytes. */
  public String memcachedKey(byte[] keyBytes) {
    if (hasher != null) {
      // the prefix goes in too, so equal keys of two caches get unrelated names
      return withPrefix(hasher.hash(prefixBytes, keyBytes), KEYED_HASH_BYTES);
    }
    int encodedLength = (keyBytes.length + 2) / 3 * 4;
    if (prefix.length() + encodedLength <= maxLength) {
      return withPrefix(keyBytes, keyBytes.length);
    }
    return prefix + "#" + BASE64.encodeToString(sha256(keyBytes));
  }

  /**
   * {@code prefix + BASE64.encodeToString(bytes)} of the first {@code length} bytes, built in one
   * array: it runs for every key of every operation.
   */
  private String withPrefix(byte[] bytes, int length) {
    int full = length / 3 * 3;
    int rest = length - full;
    byte[] out = new byte[prefixBytes.length + full / 3 * 4 + (rest == 0 ? 0 : rest + 1)];
    System.arraycopy(prefixBytes, 0, out, 0, prefixBytes.length);
    int o = prefixBytes.length;
    for (int i = 0; i < full; i += 3) {
      int bits = (bytes[i] & 0xFF) << 16 | (bytes[i + 1] & 0xFF) << 8 | (bytes[i + 2] & 0xFF);
      out[o++] = URL_SAFE[bits >>> 18];
      out[o++] = URL_SAFE[bits >>> 12 & 0x3F];
      out[o++] = URL_SAFE[bits >>> 6 & 0x3F];
      out[o++] = URL_SAFE[bits & 0x3F];
    }
    if (rest == 1) {
      int bits = (bytes[full] & 0xFF) << 4;
      out[o++] = URL_SAFE[bits >>> 6];
      out[o] = URL_SAFE[bits & 0x3F];
    } else if (rest == 2) {
      int bits = (bytes[full] & 0xFF) << 10 | (bytes[full + 1] & 0xFF) << 2;
      out[o++] = URL_SAFE[bits >>> 12];
      out[o++] = URL_SAFE[bits >>> 6 & 0x3F];
      out[o] = URL_SAFE[bits & 0x3F];
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
