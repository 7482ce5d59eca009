package io.memjcache;

import io.memjcache.cluster.KeyListing;
import io.memjcache.cluster.StoredItem;
import io.memjcache.codec.EncodedKey;
import io.memjcache.event.Events;
import io.memjcache.processor.Current;
import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import javax.cache.Cache;

/**
 * Iterates over the entries of a cache on the whole cluster, handing them out while the nodes are
 * still being listed.
 *
 * <ul>
 *   <li>Keys are listed node after node ({@code lru_crawler metadump}) as entries are asked for, a
 *       batch of {@link CacheCore#BATCH} at a time, each batch fetched with one multi-get per node:
 *       memory holds one batch and one node's queue of keys, never the cache's keys.
 *   <li>An iterator no longer asked for entries lists no further node (the node being listed is
 *       read to its end, keeping one queue of keys; garbage collected, the iterator closes it).
 *   <li>An entry removed or expired meanwhile is skipped; one added meanwhile may be missed; each
 *       key comes once, from the replica a read asks first.
 *   <li>Each entry returned counts as a hit and an access (JSR-107 section 6.1).
 * </ul>
 */
final class CacheIterator<K, V> implements Iterator<Cache.Entry<K, V>> {

  private static final Cleaner ABANDONED = Cleaner.create();

  private final CacheCore<K, V> core;
  private final Runnable ensureOpen;
  private final Consumer<K> remover;
  private final KeyListing pending;
  private final ArrayDeque<Current<K>> batch = new ArrayDeque<>();
  private Current<K> ready;
  private Cache.Entry<K, V> lastReturned;

  CacheIterator(CacheCore<K, V> core, Runnable ensureOpen, Consumer<K> remover) {
    this.core = core;
    this.ensureOpen = ensureOpen;
    this.remover = remover;
    this.pending = core.store.keys(core.codec.keys().prefix(), KeyListing.Coverage.EACH_KEY_ONCE);
    ABANDONED.register(this, pending::close);
  }

  @Override
  public boolean hasNext() {
    ensureOpen.run();
    while (ready == null && (!batch.isEmpty() || pending.hasNext())) {
      if (batch.isEmpty()) {
        fill();
      } else {
        ready = batch.poll();
      }
    }
    if (ready == null) {
      pending.close();
    }
    return ready != null;
  }

  @Override
  public Cache.Entry<K, V> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Current<K> current = ready;
    ready = null;
    lastReturned = new SimpleEntry<>(current.key().key(), core.codec.value(current.envelope()));
    core.stats.hits(1);
    Events<K, V> events = core.dispatcher.events();
    core.touch(current, events);
    events.fire();
    return lastReturned;
  }

  /** Removes the last entry returned, as {@code Cache.remove(key)} would (writer, event, stats). */
  @Override
  public void remove() {
    if (lastReturned == null) {
      throw new IllegalStateException("next() has not returned an entry to remove");
    }
    remover.accept(lastReturned.getKey());
    lastReturned = null;
  }

  private void fill() {
    List<String> next = pending.next(CacheCore.BATCH);
    Map<String, StoredItem> items = core.store.getAll(next);
    long now = System.currentTimeMillis();
    Events<K, V> events = core.dispatcher.events();
    for (String memcachedKey : next) {
      // a bad item (unreadable key or value) is skipped and deleted, not an end to the iteration
      EncodedKey<K> key = core.ownKeyOf(items.get(memcachedKey), memcachedKey);
      if (key != null) {
        Current<K> current = core.updater.current(key, items.get(memcachedKey), now);
        core.noticeExpired(current, events, true);
        if (current.present()) {
          batch.add(current);
        }
      }
    }
    events.fire();
  }
}
