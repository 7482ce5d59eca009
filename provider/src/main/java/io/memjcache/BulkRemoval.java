package io.memjcache;

import io.memjcache.cluster.KeyListing;
import io.memjcache.codec.EncodedKey;
import io.memjcache.event.Events;
import io.memjcache.integration.CacheWriting;
import io.memjcache.management.CacheStatistics;
import io.memjcache.processor.Decision;
import io.memjcache.processor.EntryUpdater.Committed;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.cache.event.EventType;

/**
 * The removals of many entries at once, {@code removeAll()} and {@code removeAll(keys)}: through the
 * writer's {@code deleteAll} when there is one, with an event per entry removed, never holding more
 * than a batch of entries.
 */
final class BulkRemoval<K, V> {

  private final CacheEntries<K, V> entries;
  private final CacheCore<K, V> core;
  private final CacheWriting<K, V> writing;
  private final CacheStatistics stats;

  BulkRemoval(CacheEntries<K, V> entries, CacheCore<K, V> core, CacheWriting<K, V> writing,
      CacheStatistics stats) {
    this.entries = entries;
    this.core = core;
    this.writing = writing;
    this.stats = stats;
  }

  /**
   * Cache.removeAll(): the writer's deleteAll, a REMOVED event per entry and the removals counted
   * (JSR-107 section 4.1.8). When nothing needs the entries, keys are deleted as they are listed
   * without reading one: see {@link #needsEntries}. Otherwise entries are read a batch at a time as
   * they are listed, and each batch goes through the writer and is removed before the next is read.
   */
  void removeAll() {
    long start = System.nanoTime();
    if (!needsEntries()) {
      stats.removals(entries.deleteAllUnread(), start);
      return;
    }
    // every copy: a key removed here is gone before the next node is listed, so none comes twice
    try (KeyListing listing = entries.list(KeyListing.Coverage.EVERY_COPY)) {
      for (List<String> batch = listing.next(CacheCore.BATCH); !batch.isEmpty();
          batch = listing.next(CacheCore.BATCH)) {
        removeThroughWriter(entries.ownKeysOf(batch));
      }
    }
  }

  /**
   * Whether removeAll() must read the entries: for a writer, for REMOVED or EXPIRED listeners, or to
   * count removals when entries can expire (memcached may still hold an entry whose JCache expiry
   * has passed, which is no removal; the deletes' answers cannot tell).
   */
  private boolean needsEntries() {
    return writing.isEnabled() || core.hasListenersFor(EventType.REMOVED)
        || core.hasListenersFor(EventType.EXPIRED)
        || (stats.isEnabled() && !core.isEternal());
  }

  /** Cache.removeAll(keys): through the writer's deleteAll, then each removed with its event. */
  void removeAll(Set<? extends K> keys) {
    List<EncodedKey<K>> encoded = new ArrayList<>(keys.size());
    keys.forEach(k -> encoded.add(entries.key(k)));
    removeThroughWriter(encoded);
  }

  private void removeThroughWriter(List<EncodedKey<K>> keys) {
    List<K> toDelete = new ArrayList<>();
    keys.forEach(k -> toDelete.add(k.key()));
    RuntimeException writerFailure = null;
    try {
      writing.deleteAll(toDelete);
      toDelete.clear();
    } catch (RuntimeException e) {
      writerFailure = e;
    }
    Set<Object> kept = new HashSet<>(toDelete);
    for (EncodedKey<K> key : keys) {
      if (!kept.contains(key.key())) {
        removeWithoutWriter(key);
      }
    }
    if (writerFailure != null) {
      throw writerFailure;
    }
  }

  private void removeWithoutWriter(EncodedKey<K> k) {
    long start = System.nanoTime();
    Committed<K, Boolean> c = entries.update(k,
        cur -> cur.present() ? Decision.remove(true) : Decision.none(false));
    Events<K, V> events = core.events();
    core.noticeExpired(c.before(), events, true);
    if (c.result()) {
      events.removed(k.key(), entries.oldValue(c.before()));
      stats.removals(1, start);
    }
    events.fire();
  }
}
