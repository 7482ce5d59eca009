package io.memjcache;

import io.memjcache.codec.EncodedKey;
import io.memjcache.event.Events;
import io.memjcache.expiry.ExpiryDecider;
import io.memjcache.management.CacheStatistics;
import io.memjcache.processor.Action;
import io.memjcache.processor.Current;
import io.memjcache.processor.Decision;
import io.memjcache.processor.EntryUpdater.Committed;
import io.memjcache.processor.LoadOnce;
import io.memjcache.processor.MutableEntryImpl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * Runs entry processors atomically per key across JVMs: the processor works on one read of the
 * entry, its resulting {@link Action} becomes one CAS write, and a lost race reruns it on a fresh
 * read. The loader runs at most once per call ({@link LoadOnce}); the writer hears each decision
 * once, before its commit ({@link WriteThroughOnce}); events and statistics follow the action that
 * committed. Its arguments were checked by {@link MemcachedCache}, which throws JSR-107's
 * {@code NullPointerException} before anything runs.
 */
final class EntryInvoker<K, V> {

  private final CacheEntries<K, V> entries;
  private final CacheCore<K, V> core;
  private final ReadThrough<K, V> readThrough;
  private final CacheStatistics stats;

  EntryInvoker(CacheEntries<K, V> entries, CacheCore<K, V> core, ReadThrough<K, V> readThrough,
      CacheStatistics stats) {
    this.entries = entries;
    this.core = core;
    this.readThrough = readThrough;
    this.stats = stats;
  }

  <T> T invoke(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    long start = System.nanoTime();
    EncodedKey<K> k = entries.key(key);
    List<MutableEntryImpl<K, V>> last = new ArrayList<>(1);
    LoadOnce<K, V> loader = readThrough.loadOnce();
    WriteThroughOnce<K, V> through = core.writeThroughOnce();
    Committed<K, T> c = through.update(k, cur -> {
      MutableEntryImpl<K, V> entry = entries.forProcessor(cur, loader);
      T result;
      try {
        result = entryProcessor.process(entry, arguments);
      } catch (EntryProcessorException e) {
        throw e;
      } catch (Exception e) {
        throw new EntryProcessorException(e);
      }
      last.clear();
      last.add(entry);
      return decide(cur, entry, result, through);
    });
    MutableEntryImpl<K, V> entry = last.get(0);
    Events<K, V> events = core.events();
    core.noticeExpired(c.before(), events, entry.action() == Action.NONE);
    switch (entry.action()) {
      case LOADED:
      case CREATED:
      case UPDATED:
        core.writeEvents(c, entry.value(), events);
        break;
      case REMOVED:
        if (c.before().present()) {
          events.removed(key, entries.oldValue(c.before()));
        }
        break;
      default:
        break;
    }
    countInvocation(entry.action(), c, start);
    events.fire();
    return c.result();
  }

  private <T> Decision<T> decide(Current<K> cur, MutableEntryImpl<K, V> entry, T result,
      WriteThroughOnce<K, V> through) {
    long now = cur.now();
    switch (entry.action()) {
      case CREATED:
        byte[] created = entries.bytesOf(entry.value());
        through.write(entry.value(), created);
        return Decision.put(created, core.creationExpiry(now), result);
      case LOADED:
        return Decision.put(entries.bytesOf(entry.value()), core.creationExpiry(now), result);
      case UPDATED:
        byte[] updated = entries.bytesOf(entry.value());
        through.write(entry.value(), updated);
        return Decision.put(updated, core.writeExpiry(cur), result);
      case REMOVED:
        through.delete();
        return Decision.remove(result);
      case READ:
        long accessed = core.accessExpiry(now);
        if (accessed == ExpiryDecider.UNCHANGED) {
          return Decision.none(result);
        }
        return Decision.put(cur.envelope().valueBytes(), accessed, result);
      default:
        return Decision.none(result);
    }
  }

  <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys,
      EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    for (K key : keys) {
      try {
        T result = invoke(key, entryProcessor, arguments);
        if (result != null) {
          results.put(key, () -> result);
        }
      } catch (EntryProcessorException e) {
        results.put(key, () -> {
          throw e;
        });
      } catch (RuntimeException e) {
        EntryProcessorException wrapped = new EntryProcessorException(e);
        results.put(key, () -> {
          throw wrapped;
        });
      }
    }
    return results;
  }

  /** An invocation is a hit or miss by the lookup alone, whatever the processor does. */
  private void countInvocation(Action action, Committed<K, ?> c, long start) {
    stats.hitOrMiss(c.before().present());
    if ((action == Action.CREATED || action == Action.UPDATED) && c.stored()) {
      stats.puts(1, start);
    } else if (action == Action.REMOVED && c.before().present()) {
      stats.removals(1, start);
    }
  }
}
