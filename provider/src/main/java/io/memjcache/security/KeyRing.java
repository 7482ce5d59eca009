package io.memjcache.security;

import io.memjcache.codec.EntryFormat;
import io.memjcache.codec.KeyCodec;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The shared secrets of a cluster's clients, in order: the first seals and signs, every listed one
 * opens and verifies (so keys can be rotated), and the last one names memcached keys, so that
 * putting a new key first keeps every entry reachable. {@link #NONE} means no secret: plain
 * envelopes and readable key names, as without this package.
 *
 * <p>Never prints key material ({@link #toString} shows the ids).
 */
public final class KeyRing {

  /** No secret: entries are not sealed. */
  public static final KeyRing NONE = new KeyRing(List.of());

  private final List<SecretKey> keys;
  private final @Nullable KeyedNames names;

  private KeyRing(List<SecretKey> keys) {
    this.keys = List.copyOf(keys);
    this.names = keys.isEmpty() ? null : new KeyedNames(keys.get(keys.size() - 1).nameKey());
  }

  /** Reads a key list (see {@link KeyListParser}); errors name {@code source}, never the keys. */
  public static KeyRing parse(String source, String text) {
    return new KeyRing(KeyListParser.parse(source, text));
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** Names the memcached keys of a cache: keyed hashes with a secret, readable without. */
  public KeyCodec keyCodec(String namespace, String cacheName) {
    return names == null ? new KeyCodec(namespace, cacheName) : KeyCodec.keyed(namespace, cacheName, names);
  }

  /** The item format of a cache: sealed with a secret, plain without. */
  public EntryFormat entryFormat(String namespace, String cacheName) {
    return isEmpty() ? EntryFormat.PLAIN : new EntrySealer(keys, namespace, cacheName);
  }

  /** Signs and verifies small messages (membership marks) with these keys. */
  public MessageAuthenticator authenticator() {
    return new MessageAuthenticator(keys);
  }

  /** Equal when the same keys are listed in the same order (managers with equal secrets share connections). */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof KeyRing other) || other.keys.size() != keys.size()) {
      return false;
    }
    for (int i = 0; i < keys.size(); i++) {
      if (!keys.get(i).sameAs(other.keys.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return keys.stream().mapToInt(SecretKey::id).reduce(keys.size(), (h, id) -> 31 * h + id);
  }

  @Override
  public String toString() {
    return isEmpty() ? "no secret" : "secret keys " + keys.stream().map(SecretKey::id).toList();
  }
}
