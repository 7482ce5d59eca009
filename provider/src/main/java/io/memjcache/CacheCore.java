package io.memjcache;

import io.memjcache.cluster.ItemStore;
import io.memjcache.cluster.StoredItem;
import io.memjcache.codec.CorruptEntryException;
import io.memjcache.codec.EncodedKey;
import io.memjcache.codec.EntryCodec;
import io.memjcache.codec.Envelope;
import io.memjcache.event.EventDispatcher;
import io.memjcache.event.Events;
import io.memjcache.expiry.ExpiryDecider;
import io.memjcache.expiry.ExpiryTimes;
import io.memjcache.integration.CacheLoading;
import io.memjcache.integration.CacheWriting;
import io.memjcache.logging.Log;
import io.memjcache.management.CacheStatistics;
import io.memjcache.processor.Current;
import io.memjcache.processor.Decision;
import io.memjcache.processor.EntryUpdater;
import io.memjcache.processor.EntryUpdater.Committed;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.event.EventType;

/**
 * The machinery every operation of one cache shares: its codec, CAS loop, expiry policy, loader,
 * writer, listeners and statistics, and the steps JSR-107 prescribes around a read or a write
 * (access expiry, expiry notices, read-through, create/update events).
 */
final class CacheCore<K, V> {

  private static final Log LOG = Log.of(CacheCore.class);

  static final int BATCH = 100;

  final CompleteConfiguration<K, V> configuration;
  final ItemStore store;
  final EntryCodec<K, V> codec;
  final EntryUpdater<K, V> updater;
  final ExpiryDecider expiry;
  final CacheLoading<K, V> loading;
  final CacheWriting<K, V> writing;
  final EventDispatcher<K, V> dispatcher;
  final CacheStatistics stats = new CacheStatistics();

  CacheCore(CompleteConfiguration<K, V> configuration, ItemStore store, EntryCodec<K, V> codec,
      EventDispatcher<K, V> dispatcher) {
    this.configuration = configuration;
    this.store = store;
    this.codec = codec;
    this.updater = new EntryUpdater<>(store, codec);
    this.expiry = new ExpiryDecider(configuration.getExpiryPolicyFactory().create());
    this.loading = CacheLoading.of(configuration);
    this.writing = CacheWriting.of(configuration);
    this.dispatcher = dispatcher;
  }

  /** Write-through for one conditional operation: see {@link WriteThroughOnce}. */
  WriteThroughOnce<K, V> writeThroughOnce() {
    return new WriteThroughOnce<>(updater, writing, codec);
  }

  /** Returns if reads load missing entries through the cache loader. */
  boolean readsThrough() {
    return configuration.isReadThrough() && loading.isPresent();
  }

  /**
   * Stores a value with put semantics: created or updated, with the matching expiry. Returns false
   * when the expiry was zero, so nothing was stored.
   */
  boolean storeValue(EncodedKey<K> k, V value, Events<K, V> events) {
    byte[] valueBytes = codec.encodeValue(value);
    if (canWriteBlindly()) {
      long now = System.currentTimeMillis();
      long expiresAt = expiry.onCreation(now);
      if (expiresAt <= now) {
        store.delete(k.memcachedKey());
        return false;
      }
      store.set(k.memcachedKey(), ExpiryTimes.exptime(expiresAt, now),
          codec.envelope(k, valueBytes, expiresAt));
      return true;
    }
    Committed<K, Boolean> c = updater.update(k,
        cur -> Decision.put(valueBytes, writeExpiry(cur), cur.present()));
    noticeExpired(c.before(), events, false);
    writeEvents(c, value, events);
    return c.stored();
  }

  /**
   * Events of a committed write of {@code value}: CREATED or UPDATED when stored; when a zero
   * duration kept it from being stored, an entry that was there has expired, and a new one never was.
   */
  void writeEvents(Committed<K, ?> c, V value, Events<K, V> events) {
    K key = c.before().key().key();
    if (c.stored()) {
      if (c.before().present()) {
        events.updated(key, value, oldValue(c.before()));
      } else {
        events.created(key, value);
      }
    } else if (c.before().present()) {
      events.expired(key, oldValue(c.before()));
    }
  }

  /** A put needs no read first when the expiry does not depend on it and nobody awaits events. */
  boolean canWriteBlindly() {
    return expiry.updateLikeCreation() && !dispatcher.hasListenersFor(EventType.CREATED)
        && !dispatcher.hasListenersFor(EventType.UPDATED) && !dispatcher.hasListenersFor(EventType.EXPIRED);
  }

  /** Expiry of a write: creation for an absent entry, update (or unchanged) for a present one. */
  long writeExpiry(Current<K> cur) {
    long now = cur.now();
    if (!cur.present()) {
      return expiry.onCreation(now);
    }
    long updated = expiry.onUpdate(now);
    return updated == ExpiryDecider.UNCHANGED ? cur.envelope().expiresAtMillis() : updated;
  }

  /** Applies access expiry to an entry just read: a new expiry time, or removal at zero. */
  void touch(Current<K> cur, Events<K, V> events) {
    long now = cur.now();
    long accessed = expiry.onAccess(now);
    if (accessed == ExpiryDecider.UNCHANGED || accessed == cur.envelope().expiresAtMillis()) {
      return;
    }
    Decision<Void> decision = accessed <= now
        ? Decision.remove(null)
        : Decision.put(cur.envelope().valueBytes(), accessed, null);
    // losing the race to a concurrent write is fine: that write set its own expiry
    updater.commit(cur, decision, now);
    if (accessed <= now) {
      events.expired(cur.key().key(), codec.value(cur.envelope()));
    }
  }

  /** Fires EXPIRED for an entry found expired and, if nothing replaces it, deletes it. */
  void noticeExpired(Current<K> cur, Events<K, V> events, boolean deleteIt) {
    if (!cur.expired()) {
      return;
    }
    if (deleteIt) {
      updater.commit(cur, Decision.remove(null), cur.now());
    }
    if (dispatcher.hasListenersFor(EventType.EXPIRED)) {
      events.expired(cur.key().key(), codec.value(cur.envelope()));
    }
  }

  V readThrough(Current<K> cur, Events<K, V> events) {
    if (!configuration.isReadThrough() || !loading.isPresent()) {
      return null;
    }
    V value = loading.load(cur.key().key());
    if (value != null) {
      long now = System.currentTimeMillis();
      updater.commit(cur, Decision.put(codec.encodeValue(value), expiry.onCreation(now), null), now);
      events.created(cur.key().key(), value);
    }
    return value;
  }

  Map<K, V> loadAndStore(List<Current<K>> missing, Events<K, V> events) {
    List<K> keys = new ArrayList<>();
    missing.forEach(c -> keys.add(c.key().key()));
    Map<K, V> loaded = loading.loadAll(keys);
    Map<K, V> result = new HashMap<>();
    long now = System.currentTimeMillis();
    for (Current<K> cur : missing) {
      V value = loaded == null ? null : loaded.get(cur.key().key());
      if (value != null) {
        updater.commit(cur, Decision.put(codec.encodeValue(value), expiry.onCreation(now), null), now);
        events.created(cur.key().key(), value);
        result.put(cur.key().key(), value);
      }
    }
    return result;
  }

  /** Stores a loaded value: loads never go to the writer, and replace what is there. */
  void storeLoaded(K key, V value, Events<K, V> events) {
    byte[] valueBytes = codec.encodeValue(value);
    Committed<K, Boolean> c = updater.update(codec.encodeKey(key),
        cur -> Decision.put(valueBytes, writeExpiry(cur), cur.present()));
    writeEvents(c, value, events);
  }

  void removeWithoutWriter(EncodedKey<K> k) {
    long start = System.nanoTime();
    Committed<K, Boolean> c = updater.update(k,
        cur -> cur.present() ? Decision.remove(true) : Decision.none(false));
    Events<K, V> events = dispatcher.events();
    noticeExpired(c.before(), events, true);
    if (c.result()) {
      events.removed(k.key(), oldValue(c.before()));
      stats.removals(1, start);
    }
    events.fire();
  }

  /** The keys of the entries of this cache among {@code memcachedKeys}, read in one multi-get. */
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

  /**
   * Returns the key of an item found by listing, or null unless it is a valid entry stored under
   * its own key: an entry under another key's name (a digest collision, or bytes copied there by
   * someone else) is invisible to {@code get}, so iteration must not show it either; nor a bad
   * one, which is deleted.
   */
  EncodedKey<K> ownKeyOf(StoredItem item, String memcachedKey) {
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


  boolean holds(Current<K> cur, byte[] expectedBytes, V expected) {
    return cur.envelope().hasValue(expectedBytes) || expected.equals(codec.value(cur.envelope()));
  }

  V oldValue(Current<K> cur) {
    return cur.present() ? codec.value(cur.envelope()) : null;
  }

  /** Closes the listeners and whatever of the expiry policy, loader and writer is {@link Closeable}. */
  void close() {
    dispatcher.close();
    closeQuietly(expiry.policy());
    closeQuietly(loading.loader());
    closeQuietly(writing.writer());
  }

  private static void closeQuietly(Object o) {
    if (o instanceof Closeable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.warning("closing " + o + " failed", e);
      }
    }
  }
}
