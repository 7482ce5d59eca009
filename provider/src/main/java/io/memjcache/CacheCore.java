package io.memjcache;

import io.memjcache.codec.EncodedKey;
import io.memjcache.event.EventDispatcher;
import io.memjcache.event.Events;
import io.memjcache.expiry.ExpiryDecider;
import io.memjcache.integration.CacheLoading;
import io.memjcache.integration.CacheWriting;
import io.memjcache.logging.Log;
import io.memjcache.processor.Current;
import io.memjcache.processor.Decision;
import io.memjcache.processor.EntryUpdater.Committed;
import java.io.Closeable;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.event.EventType;

/**
 * The steps JSR-107 prescribes around reading or writing an entry, shared by every operation of
 * one cache: expiry by creation, access or update, expiry notices, create/update events, and
 * whether a write may skip reading the entry first. It owns the expiry policy and the listeners
 * and closes them, the loader and the writer with the cache; the entries themselves are {@link
 * CacheEntries}.
 */
final class CacheCore<K, V> {

  private static final Log LOG = Log.of(CacheCore.class);

  /** Entries a listing reads, removes or hands out at a time. */
  static final int BATCH = 100;

  private final CacheEntries<K, V> entries;
  private final ExpiryDecider expiry;
  private final EventDispatcher<K, V> dispatcher;
  private final CacheLoading<K, V> loading;
  private final CacheWriting<K, V> writing;

  /** Registers the listeners {@code configuration} names, telling them of {@code source}'s events. */
  CacheCore(Cache<K, V> source, CompleteConfiguration<K, V> configuration, CacheEntries<K, V> entries,
      CacheLoading<K, V> loading, CacheWriting<K, V> writing) {
    this.entries = entries;
    this.expiry = new ExpiryDecider(configuration.getExpiryPolicyFactory().create());
    this.dispatcher = new EventDispatcher<>(source);
    configuration.getCacheEntryListenerConfigurations().forEach(dispatcher::register);
    this.loading = loading;
    this.writing = writing;
  }

  /** Write-through for one conditional operation: see {@link WriteThroughOnce}. */
  WriteThroughOnce<K, V> writeThroughOnce() {
    return new WriteThroughOnce<>(entries, writing);
  }

  /** The events of one operation, fired together when it ends. */
  Events<K, V> events() {
    return dispatcher.events();
  }

  boolean hasListenersFor(EventType type) {
    return dispatcher.hasListenersFor(type);
  }

  void register(CacheEntryListenerConfiguration<K, V> listener) {
    dispatcher.register(listener);
  }

  void deregister(CacheEntryListenerConfiguration<K, V> listener) {
    dispatcher.deregister(listener);
  }

  /** Returns if no entry of this cache ever expires by JCache rules. */
  boolean isEternal() {
    return expiry.isEternal();
  }

  /** The expiry time of an entry created at {@code now}. */
  long creationExpiry(long now) {
    return expiry.onCreation(now);
  }

  /** The expiry time an access at {@code now} sets, or {@link ExpiryDecider#UNCHANGED}. */
  long accessExpiry(long now) {
    return expiry.onAccess(now);
  }

  /**
   * Stores a value with put semantics: created or updated, with the matching expiry. Returns false
   * when the expiry was zero, so nothing was stored.
   */
  boolean storeValue(EncodedKey<K> k, V value, Events<K, V> events) {
    byte[] valueBytes = entries.bytesOf(value);
    if (canWriteBlindly()) {
      long now = System.currentTimeMillis();
      return entries.storeUnread(k, valueBytes, expiry.onCreation(now), now);
    }
    Committed<K, Boolean> c = entries.update(k,
        cur -> Decision.put(valueBytes, writeExpiry(cur), cur.present()));
    noticeExpired(c.before(), events, false);
    writeEvents(c, value, events);
    return c.stored();
  }

  /** Stores values with put semantics, in one multi-set when none needs reading first. */
  int storeValues(Map<K, V> values, Events<K, V> events) {
    if (canWriteBlindly()) {
      long now = System.currentTimeMillis();
      return entries.storeAllUnread(values, expiry.onCreation(now), now);
    }
    int stored = 0;
    for (Map.Entry<K, V> e : values.entrySet()) {
      stored += storeValue(entries.key(e.getKey()), e.getValue(), events) ? 1 : 0;
    }
    return stored;
  }

  /**
   * Events of a committed write of {@code value}: CREATED or UPDATED when stored; when a zero
   * duration kept it from being stored, an entry that was there has expired, and a new one never was.
   */
  void writeEvents(Committed<K, ?> c, V value, Events<K, V> events) {
    K key = c.before().key().key();
    if (c.stored()) {
      if (c.before().present()) {
        events.updated(key, value, entries.oldValue(c.before()));
      } else {
        events.created(key, value);
      }
    } else if (c.before().present()) {
      events.expired(key, entries.oldValue(c.before()));
    }
  }

  /** A put needs no read first when the expiry does not depend on it and nobody awaits events. */
  private boolean canWriteBlindly() {
    return expiry.updateLikeCreation() && !dispatcher.hasListenersFor(EventType.CREATED)
        && !dispatcher.hasListenersFor(EventType.UPDATED) && !dispatcher.hasListenersFor(EventType.EXPIRED);
  }

  /** A remove needs no read first when no entry expires and nobody awaits events. */
  boolean canRemoveBlindly() {
    return expiry.isEternal() && !dispatcher.hasListeners();
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
    entries.commit(cur, decision, now);
    if (accessed <= now) {
      events.expired(cur.key().key(), entries.valueOf(cur));
    }
  }

  /** Fires EXPIRED for an entry found expired and, if nothing replaces it, deletes it. */
  void noticeExpired(Current<K> cur, Events<K, V> events, boolean deleteIt) {
    if (!cur.expired()) {
      return;
    }
    if (deleteIt) {
      entries.commit(cur, Decision.remove(null), cur.now());
    }
    if (dispatcher.hasListenersFor(EventType.EXPIRED)) {
      events.expired(cur.key().key(), entries.valueOf(cur));
    }
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
