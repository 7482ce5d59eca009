package io.memjcache;

import io.memjcache.cluster.KeyListing;
import io.memjcache.event.Events;
import io.memjcache.management.CacheStatistics;
import io.memjcache.processor.Current;
import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
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

  private final CacheEntries<K, V> entries;
  private final CacheCore<K, V> core;
  private final CacheStatistics stats;
  private final Runnable ensureOpen;
  private final Consumer<K> remover;
  private final KeyListing pending;
  private final ArrayDeque<Current<K>> batch = new ArrayDeque<>();
  private Current<K> ready;
  private Cache.Entry<K, V> lastReturned;

  CacheIterator(CacheEntries<K, V> entries, CacheCore<K, V> core, CacheStatistics stats,
      Runnable ensureOpen, Consumer<K> remover) {
    this.entries = entries;
    this.core = core;
    this.stats = stats;
    this.ensureOpen = ensureOpen;
    this.remover = remover;
    this.pending = entries.list(KeyListing.Coverage.EACH_KEY_ONCE);
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
    lastReturned = new SimpleEntry<>(current.key().key(), entries.valueOf(current));
    stats.hits(1);
    Events<K, V> events = core.events();
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
    // a bad item (unreadable key or value) is skipped and deleted, not an end to the iteration
    List<Current<K>> read = entries.readListed(pending.next(CacheCore.BATCH));
    Events<K, V> events = core.events();
    for (Current<K> current : read) {
      core.noticeExpired(current, events, true);
      if (current.present()) {
        batch.add(current);
      }
    }
    events.fire();
  }
}
