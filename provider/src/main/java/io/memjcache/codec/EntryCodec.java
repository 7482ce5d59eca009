package io.memjcache.codec;

import io.memjcache.cluster.StoredItem;
import io.memjcache.logging.Log;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Everything one cache needs to turn keys and values into memcached items and back.
 *
 * <p>An item that is not a valid envelope for the requested key (foreign flags, bad checksum, a
 * different key under a colliding digest) is never returned. Decoding an item checks all of it: its
 * value is deserialized under the cache's {@link AllowList} (the manager's plus the configured key
 * and value types) and must be of the configured value type, as a listed key must be of the key
 * type. Anything else is a {@link CorruptEntryException}, which readers turn into a miss.
 */
public final class EntryCodec<K, V> {

  private static final Log LOG = Log.of(EntryCodec.class);
  private static final AtomicLong LAST_VERSION = new AtomicLong();

  private final Supplier<KeyCodec> keys;
  private final KryoSerializer serializer;
  private final EntryFormat format;
  private final Class<K> keyType;
  private final Class<V> valueType;
  private final AllowList readable;

  /** A codec of plain (unsealed) items. */
  public EntryCodec(KeyCodec keys, KryoSerializer serializer, Class<K> keyType, Class<V> valueType) {
    this(() -> keys, serializer, EntryFormat.PLAIN, keyType, valueType);
  }

  /**
   * A codec whose items are in {@code format} (sealed when the cluster has a secret), named by the
   * key codec {@code keys} gives at each call (a cache's current generation).
   */
  public EntryCodec(Supplier<KeyCodec> keys, KryoSerializer serializer, EntryFormat format,
      Class<K> keyType, Class<V> valueType) {
    this.keys = keys;
    this.serializer = serializer;
    this.format = format;
    this.keyType = keyType;
    this.valueType = valueType;
    this.readable = serializer.allowList().with(List.of(keyType, valueType));
  }

  /** The key codec in use now. */
  public KeyCodec keys() {
    return keys.get();
  }

  /** Serializes a key and derives its memcached key. */
  public EncodedKey<K> encodeKey(K key) {
    return encodeKey(key, keys.get());
  }

  /**
   * As {@link #encodeKey(Object)}, named by {@code names}: an operation on many keys asks for the
   * key codec once, so all its keys are of one generation.
   */
  public EncodedKey<K> encodeKey(K key, KeyCodec names) {
    byte[] bytes = serializer.serialize(canonical(key), readable);
    return new EncodedKey<>(key, bytes, names.memcachedKey(bytes));
  }

  /**
   * Keys are found by their bytes, but JCache matches them with {@code equals}: equal lists, sets
   * and maps of different classes ({@code ArrayList} and {@code List.of}, {@code HashSet} and
   * {@code Set.of}) are therefore serialized as one class. Sets and maps are sorted when their
   * elements are comparable, since equal hash sets may iterate in different orders.
   */
  static Object canonical(Object key) {
    if (key instanceof String) {
      // the commonest key, and a final class: one compare instead of three interface checks
      return key;
    }
    try {
      if (key instanceof List<?> list) {
        return new ArrayList<>(list);
      }
      if (key instanceof Set<?> set && allComparable(set)) {
        return new TreeSet<>(set);
      }
      if (key instanceof Map<?, ?> map && allComparable(map.keySet())) {
        return new TreeMap<>(map);
      }
    } catch (ClassCastException mixedTypes) {
      // elements comparable, but not with each other: keep the key as it is
    }
    return key;
  }

  private static boolean allComparable(Collection<?> elements) {
    for (Object e : elements) {
      if (!(e instanceof Comparable)) {
        return false;
      }
    }
    return true;
  }

  public byte[] encodeValue(V value) {
    return serializer.serialize(value, readable);
  }

  /** Builds the bytes to store for an entry. */
  public byte[] envelope(EncodedKey<K> key, byte[] valueBytes, long expiresAtMillis) {
    return envelope(key, valueBytes, expiresAtMillis, Long.MIN_VALUE);
  }

  /**
   * Builds the bytes of an entry that replaces one of version {@code replacedVersion}: its version is
   * higher whatever this JVM's clock says, so that replicas ordering writes by version agree with
   * the order CAS decided.
   */
  public byte[] envelope(EncodedKey<K> key, byte[] valueBytes, long expiresAtMillis, long replacedVersion) {
    long version = Math.max(nextVersion(), replacedVersion == Long.MAX_VALUE ? replacedVersion : replacedVersion + 1);
    return format.encode(key.memcachedKey(), key.bytes(), valueBytes, expiresAtMillis, version);
  }

  /**
   * Decodes an item read for {@code key}: null when there is none, or when it is the valid entry of
   * another key (a digest collision: that entry is not ours to remove); a
   * {@link CorruptEntryException} when it is not a valid entry of this cache, value included.
   */
  public @Nullable Envelope decode(@Nullable StoredItem item, EncodedKey<K> key) {
    Envelope envelope = decodeAny(item, key.memcachedKey());
    if (envelope != null && !envelope.hasKey(key.bytes())) {
      LOG.warning(() -> "memcached key " + key.memcachedKey()
          + " holds the entry of another key (digest collision); treated as absent");
      return null;
    }
    if (envelope != null) {
      envelope.keepDecodedValue(readValue(envelope));
    }
    return envelope;
  }

  /**
   * Decodes the envelope of an item found by listing, whose key is not known beforehand: null if
   * there is none, a {@link CorruptEntryException} if it is not a valid envelope.
   */
  public @Nullable Envelope decodeAny(@Nullable StoredItem item, String memcachedKey) {
    if (item == null || item.isMarker()) {
      return null;
    }
    return format.decode(memcachedKey, item.flags(), item.bytes());
  }

  /** The entry's value, a copy of its own for each call. */
  @SuppressWarnings("unchecked")
  public V value(Envelope envelope) {
    Object decoded = envelope.takeDecodedValue();
    return Envelope.isDecoded(decoded) ? (V) decoded : readValue(envelope);
  }

  /** The entry's key, checked to be of the configured key type. */
  public K key(Envelope envelope) {
    return ofType(keyType, serializer.deserialize(envelope.buffer(), envelope.keyOffset(),
        envelope.keyLength(), readable), "key");
  }

  private V readValue(Envelope envelope) {
    return ofType(valueType, serializer.deserialize(envelope.buffer(), envelope.valueOffset(),
        envelope.valueLength(), readable), "value");
  }

  /** Another client may store anything under this cache's names: a wrong type is a bad entry. */
  private static <T> T ofType(Class<T> type, Object object, String what) {
    if (!type.isPrimitive() && !type.isInstance(object)) {
      throw new CorruptEntryException("stored " + what + " is a "
          + (object == null ? "null" : object.getClass().getName()) + ", not a " + type.getName());
    }
    @SuppressWarnings("unchecked")
    T checked = (T) object;
    return checked;
  }

  /** Write versions grow with wall time and strictly within this JVM (millis, then a counter). */
  private static long nextVersion() {
    long floor = System.currentTimeMillis() << 16;
    return LAST_VERSION.accumulateAndGet(floor, (last, now) -> Math.max(last + 1, now));
  }
}
