package io.memjcache;

import io.memjcache.cluster.KeyListing;
import io.memjcache.codec.EncodedKey;
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

  private final CacheCore<K, V> core;

  BulkRemoval(CacheCore<K, V> core) {
    this.core = core;
  }

  /**
   * Cache.removeAll(): the writer's deleteAll, a REMOVED event per entry and the removals counted
   * (JSR-107 section 4.1.8). When nothing needs the entries, keys are deleted as they are listed
   * without reading one: see {@link #needsEntries}. Otherwise entries are read a batch at a time as
   * they are listed, and each batch goes through the writer and is removed before the next is read.
   */
  void removeAll() {
    long start = System.nanoTime();
    String prefix = core.codec.keys().prefix();
    if (!needsEntries()) {
      core.stats.removals(core.store.deleteByPrefix(prefix), start);
      return;
    }
    // every copy: a key removed here is gone before the next node is listed, so none comes twice
    try (KeyListing listing = core.store.keys(prefix, KeyListing.Coverage.EVERY_COPY)) {
      for (List<String> batch = listing.next(CacheCore.BATCH); !batch.isEmpty();
          batch = listing.next(CacheCore.BATCH)) {
        removeThroughWriter(core.ownKeysOf(batch));
      }
    }
  }

  /**
   * Whether removeAll() must read the entries: for a writer, for REMOVED or EXPIRED listeners, or to
   * count removals when entries can expire (memcached may still hold an entry whose JCache expiry
   * has passed, which is no removal; the deletes' answers cannot tell).
   */
  private boolean needsEntries() {
    return core.writing.isEnabled() || core.dispatcher.hasListenersFor(EventType.REMOVED)
        || core.dispatcher.hasListenersFor(EventType.EXPIRED)
        || (core.stats.isEnabled() && !core.expiry.isEternal());
  }

  /** Cache.removeAll(keys): through the writer's deleteAll, then each removed with its event. */
  void removeAll(Set<? extends K> keys) {
    List<EncodedKey<K>> encoded = new ArrayList<>(keys.size());
    keys.forEach(k -> encoded.add(core.codec.encodeKey(k)));
    removeThroughWriter(encoded);
  }

  private void removeThroughWriter(List<EncodedKey<K>> keys) {
    List<K> toDelete = new ArrayList<>();
    keys.forEach(k -> toDelete.add(k.key()));
    RuntimeException writerFailure = null;
    try {
      core.writing.deleteAll(toDelete);
      toDelete.clear();
    } catch (RuntimeException e) {
      writerFailure = e;
    }
    Set<Object> kept = new HashSet<>(toDelete);
    for (EncodedKey<K> key : keys) {
      if (!kept.contains(key.key())) {
        core.removeWithoutWriter(key);
      }
    }
    if (writerFailure != null) {
      throw writerFailure;
    }
  }
}
