package io.memjcache;

import io.memjcache.cluster.StoredItem;
import io.memjcache.codec.EncodedKey;
import io.memjcache.event.Events;
import io.memjcache.processor.Current;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import javax.cache.Cache;

/**
 * Iterates over the entries of a cache on the whole cluster.
 *
 * <p>The keys are listed once, when the iterator is made ({@code lru_crawler metadump} on every
 * node); entries are then fetched in batches with one multi-get per node. An entry removed or
 * expired meanwhile is skipped; one added meanwhile may be missed. Each entry returned counts as a
 * hit and an access (JSR-107 section 6.1).
 */
final class CacheIterator<K, V> implements Iterator<Cache.Entry<K, V>> {

  private final CacheCore<K, V> core;
  private final Runnable ensureOpen;
  private final Consumer<K> remover;
  private final Iterator<String> pending;
  private final ArrayDeque<Current<K>> batch = new ArrayDeque<>();
  private Current<K> ready;
  private Cache.Entry<K, V> lastReturned;

  CacheIterator(CacheCore<K, V> core, Runnable ensureOpen, Consumer<K> remover) {
    this.core = core;
    this.ensureOpen = ensureOpen;
    this.remover = remover;
    this.pending = core.store.keys(core.codec.keys().prefix()).iterator();
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
    List<String> next = new ArrayList<>(CacheCore.BATCH);
    while (pending.hasNext() && next.size() < CacheCore.BATCH) {
      next.add(pending.next());
    }
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
