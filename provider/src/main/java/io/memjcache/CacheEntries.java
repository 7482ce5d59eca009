package io.memjcache;

import io.memjcache.cluster.ItemStore;
import io.memjcache.cluster.ItemWrite;
import io.memjcache.cluster.KeyListing;
import io.memjcache.cluster.StoredItem;
import io.memjcache.codec.CorruptEntryException;
import io.memjcache.codec.EncodedKey;
import io.memjcache.codec.EntryCodec;
import io.memjcache.codec.Envelope;
import io.memjcache.codec.KeyCodec;
import io.memjcache.expiry.ExpiryTimes;
import io.memjcache.processor.Current;
import io.memjcache.processor.Decision;
import io.memjcache.processor.EntryUpdater;
import io.memjcache.processor.EntryUpdater.Committed;
import io.memjcache.processor.LoadOnce;
import io.memjcache.processor.MutableEntryImpl;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The entries of one cache as memcached holds them: keys and values encoded by its codec, read
 * one at a time with a CAS id or many in one multi-get, changed atomically through the CAS loop
 * ({@link EntryUpdater}) or, where nothing depends on what was there, written blindly; listed by
 * the cache's key prefix. No JSR-107 rule lives here (see {@link CacheCore}).
 */
final class CacheEntries<K, V> {

  private final ItemStore store;
  private final EntryCodec<K, V> codec;
  private final EntryUpdater<K, V> updater;

  CacheEntries(ItemStore store, EntryCodec<K, V> codec) {
    this.store = store;
    this.codec = codec;
    this.updater = new EntryUpdater<>(store, codec);
  }

  EncodedKey<K> key(K key) {
    return codec.encodeKey(key);
  }

  byte[] bytesOf(V value) {
    return codec.encodeValue(value);
  }

  /** The value of a present entry. */
  V valueOf(Current<K> cur) {
    return codec.value(cur.envelope());
  }

  /** The value an entry held before an operation, or null when it was absent. */
  V oldValue(Current<K> cur) {
    return cur.present() ? valueOf(cur) : null;
  }

  /** Returns if an entry holds {@code expected}, by its bytes or else by {@code equals}. */
  boolean holds(Current<K> cur, byte[] expectedBytes, V expected) {
    return cur.envelope().hasValue(expectedBytes) || expected.equals(valueOf(cur));
  }

  /** The entry an entry processor sees, read as {@code cur}, loading through {@code loader} (may be null). */
  MutableEntryImpl<K, V> forProcessor(Current<K> cur, LoadOnce<K, V> loader) {
    return new MutableEntryImpl<>(cur, codec, loader);
  }

  /** Reads the entry of a key with its CAS id. */
  Current<K> read(EncodedKey<K> key, long now) {
    return updater.read(key, now);
  }

  /** Reads the entries of many keys in one multi-get, in the keys' order, each key once. */
  List<Current<K>> readAll(Collection<? extends K> keys) {
    Map<String, EncodedKey<K>> byMemcachedKey = new LinkedHashMap<>(capacityFor(keys.size()));
    KeyCodec names = codec.keys();
    for (K key : keys) {
      EncodedKey<K> k = codec.encodeKey(key, names);
      byMemcachedKey.put(k.memcachedKey(), k);
    }
    Map<String, StoredItem> items = store.getAll(byMemcachedKey.keySet());
    long now = System.currentTimeMillis(); // after the multi-get: no entry counts as live for longer
    List<Current<K>> read = new ArrayList<>(byMemcachedKey.size());
    byMemcachedKey.values().forEach(k -> read.add(updater.current(k, items.get(k.memcachedKey()), now)));
    return read;
  }

  /** Lists the memcached keys of this cache's entries (see {@link ItemStore#keys}). */
  KeyListing list(KeyListing.Coverage coverage) {
    return store.keys(codec.keys().prefix(), coverage);
  }

  /** Deletes every entry of this cache without reading one; returns how many deletes hit. */
  int deleteAllUnread() {
    return store.deleteByPrefix(codec.keys().prefix());
  }

  /** The keys of this cache's valid entries among {@code memcachedKeys}, read in one multi-get. */
  List<EncodedKey<K>> ownKeysOf(List<String> memcachedKeys) {
    Map<String, StoredItem> items = store.getAll(memcachedKeys);
    List<EncodedKey<K>> keys = new ArrayList<>(items.size());
    for (String memcachedKey : memcachedKeys) {
      EncodedKey<K> key = ownKeyOf(items.get(memcachedKey), memcachedKey);
      if (key != null) {
        keys.add(key);
      }
    }
    return keys;
  }

  /** The entries of this cache among listed {@code memcachedKeys}, read in one multi-get. */
  List<Current<K>> readListed(List<String> memcachedKeys) {
    Map<String, StoredItem> items = store.getAll(memcachedKeys);
    long now = System.currentTimeMillis();
    List<Current<K>> read = new ArrayList<>(memcachedKeys.size());
    for (String memcachedKey : memcachedKeys) {
      EncodedKey<K> key = ownKeyOf(items.get(memcachedKey), memcachedKey);
      if (key != null) {
        read.add(updater.current(key, items.get(memcachedKey), now));
      }
    }
    return read;
  }

  /**
   * Returns the key of an item found by listing, or null unless it is a valid entry stored under
   * its own key: an entry under another key's name (a digest collision, or bytes copied there by
   * someone else) is invisible to {@code get}, so a listing must not show it either; nor a bad
   * one, which is deleted.
   */
  private EncodedKey<K> ownKeyOf(StoredItem item, String memcachedKey) {
    try {
      Envelope envelope = codec.decodeAny(item, memcachedKey);
      if (envelope == null) {
        return null;
      }
      EncodedKey<K> key = codec.encodeKey(codec.key(envelope));
      return key.memcachedKey().equals(memcachedKey) ? key : null;
    } catch (CorruptEntryException e) {
      updater.discard(memcachedKey, item, e);
      return null;
    }
  }

  /** Runs {@code decide} in the CAS loop until its decision commits. */
  <R> Committed<K, R> update(EncodedKey<K> key, Function<Current<K>, Decision<R>> decide) {
    return updater.update(key, decide);
  }

  /** Commits one decision on an entry as read; false when another writer changed it meanwhile. */
  boolean commit(Current<K> cur, Decision<?> decision, long now) {
    return updater.commit(cur, decision, now);
  }

  /** Stores encoded value bytes without reading the entry; a zero expiry deletes it instead. */
  boolean storeUnread(EncodedKey<K> k, byte[] valueBytes, long expiresAt, long now) {
    if (expiresAt <= now) {
      store.delete(k.memcachedKey());
      return false;
    }
    store.set(k.memcachedKey(), ExpiryTimes.exptime(expiresAt, now), codec.envelope(k, valueBytes, expiresAt));
    return true;
  }

  /** Stores values without reading them, in one multi-set; returns how many were stored. */
  int storeAllUnread(Map<K, V> values, long expiresAt, long now) {
    List<ItemWrite> writes = new ArrayList<>(values.size());
    List<String> deletes = new ArrayList<>();
    KeyCodec names = codec.keys();
    for (Map.Entry<K, V> e : values.entrySet()) {
      EncodedKey<K> k = codec.encodeKey(e.getKey(), names);
      if (expiresAt <= now) {
        deletes.add(k.memcachedKey());
      } else {
        writes.add(new ItemWrite(k.memcachedKey(), ExpiryTimes.exptime(expiresAt, now),
            codec.envelope(k, codec.encodeValue(e.getValue()), expiresAt)));
      }
    }
    store.setAll(writes);
    store.deleteAll(deletes);
    return writes.size();
  }

  /** Deletes an entry without reading it; true if it was there. */
  boolean deleteUnread(EncodedKey<K> k) {
    return store.delete(k.memcachedKey());
  }

  /** A hash map capacity that holds {@code n} entries without resizing (load factor 0.75). */
  static int capacityFor(int n) {
    return n < 3 ? n + 1 : (int) Math.min(Integer.MAX_VALUE, n / 3L * 4 + 4);
  }
}
