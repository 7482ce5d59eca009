package io.memjcache.codec;

import io.memjcache.cluster.StoredItem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything one cache needs to turn keys and values into memcached items and back.
 *
 * <p>An item that is not a valid envelope for the requested key (foreign flags, bad checksum, a
 * different key under a colliding digest) reads as absent and is logged, never returned.
 */
public final class EntryCodec<K, V> {

  private static final Logger LOG = Logger.getLogger(EntryCodec.class.getName());
  private static final AtomicLong LAST_VERSION = new AtomicLong();

  private final KeyCodec keys;
  private final KryoSerializer serializer;
  private final EntryFormat format;

  public EntryCodec(KeyCodec keys, KryoSerializer serializer) {
    this(keys, serializer, EntryFormat.PLAIN);
  }

  /** A codec whose items are in {@code format} (sealed when the cluster has a secret). */
  public EntryCodec(KeyCodec keys, KryoSerializer serializer, EntryFormat format) {
    this.keys = keys;
    this.serializer = serializer;
    this.format = format;
  }

  public KeyCodec keys() {
    return keys;
  }

  /** Serializes a key and derives its memcached key. */
  public EncodedKey<K> encodeKey(K key) {
    byte[] bytes = serializer.serialize(canonical(key));
    return new EncodedKey<>(key, bytes, keys.memcachedKey(bytes));
  }

  /**
   * Keys are found by their bytes, but JCache matches them with {@code equals}: equal lists, sets
   * and maps of different classes ({@code ArrayList} and {@code List.of}, {@code HashSet} and
   * {@code Set.of}) are therefore serialized as one class. Sets and maps are sorted when their
   * elements are comparable, since equal hash sets may iterate in different orders.
   */
  static Object canonical(Object key) {
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
    return serializer.serialize(value);
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

  /** Decodes an item read for {@code key}, or returns null when it is not a valid entry of it. */
  public Envelope decode(StoredItem item, EncodedKey<K> key) {
    Envelope envelope = decodeAny(item, key.memcachedKey());
    if (envelope != null && !envelope.hasKey(key.bytes())) {
      LOG.warning(() -> "memcached key " + key.memcachedKey()
          + " holds the entry of another key (digest collision); treated as absent");
      return null;
    }
    return envelope;
  }

  /** Decodes an item found by listing, whose key is not known beforehand; null if not valid. */
  public Envelope decodeAny(StoredItem item, String memcachedKey) {
    if (item == null || item.isTombstone()) {
      return null;
    }
    try {
      return format.decode(memcachedKey, item.flags(), item.bytes());
    } catch (CorruptEntryException e) {
      LOG.log(Level.WARNING, "memcached key " + memcachedKey + " does not hold a valid entry ("
          + e.getMessage() + "); treated as absent");
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  public V value(Envelope envelope) {
    return (V) serializer.deserialize(envelope.buffer(), envelope.valueOffset(), envelope.valueLength());
  }

  @SuppressWarnings("unchecked")
  public K key(Envelope envelope) {
    return (K) serializer.deserialize(envelope.buffer(), envelope.keyOffset(), envelope.keyLength());
  }

  /** Write versions grow with wall time and strictly within this JVM (millis, then a counter). */
  private static long nextVersion() {
    long floor = System.currentTimeMillis() << 16;
    return LAST_VERSION.accumulateAndGet(floor, (last, now) -> Math.max(last + 1, now));
  }
}
