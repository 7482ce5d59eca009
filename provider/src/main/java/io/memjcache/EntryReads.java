package io.memjcache;

import io.memjcache.event.Events;
import io.memjcache.logging.Log;
import io.memjcache.management.CacheStatistics;
import io.memjcache.processor.Current;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CompletionListener;

/**
 * The reads of one cache, with the steps JSR-107 prescribes around them: expiry notices, access
 * expiry, statistics and read-through (a miss loaded through the cache loader and stored).
 * Arguments are checked by the caller.
 */
final class EntryReads<K, V> {

  private static final Log LOG = Log.of(EntryReads.class);

  private static final CompletionListener NO_COMPLETION = new CompletionListener() {
    @Override
    public void onCompletion() {}

    @Override
    public void onException(Exception e) {
      LOG.warning("loadAll failed", e);
    }
  };

  private final CacheEntries<K, V> entries;
  private final CacheCore<K, V> core;
  private final ReadThrough<K, V> readThrough;
  private final CacheStatistics stats;

  EntryReads(CacheEntries<K, V> entries, CacheCore<K, V> core, ReadThrough<K, V> readThrough,
      CacheStatistics stats) {
    this.entries = entries;
    this.core = core;
    this.readThrough = readThrough;
    this.stats = stats;
  }

  V get(K key) {
    long start = System.nanoTime();
    Current<K> current = entries.read(entries.key(key), System.currentTimeMillis());
    Events<K, V> events = core.events();
    core.noticeExpired(current, events, true);
    V value;
    if (current.present()) {
      value = entries.valueOf(current);
      stats.hits(1);
      core.touch(current, events);
    } else {
      stats.misses(1);
      value = readThrough.load(current, events);
    }
    events.fire();
    stats.getTime(start);
    return value;
  }

  Map<K, V> getAll(Set<? extends K> keys) {
    long start = System.nanoTime();
    List<Current<K>> read = entries.readAll(keys);
    Events<K, V> events = core.events();
    Map<K, V> result = new LinkedHashMap<>(CacheEntries.capacityFor(read.size()));
    List<Current<K>> missing = new ArrayList<>();
    for (Current<K> current : read) {
      core.noticeExpired(current, events, true);
      if (current.present()) {
        result.put(current.key().key(), entries.valueOf(current));
        core.touch(current, events);
      } else {
        missing.add(current);
      }
    }
    stats.hits(result.size());
    stats.misses(missing.size());
    if (readThrough.isOn() && !missing.isEmpty()) {
      result.putAll(readThrough.loadAll(missing, events));
    }
    events.fire();
    stats.getTime(start);
    return result;
  }

  boolean containsKey(K key) {
    Current<K> current = entries.read(entries.key(key), System.currentTimeMillis());
    Events<K, V> events = core.events();
    core.noticeExpired(current, events, true);
    events.fire();
    return current.present();
  }

  /** JSR-107 loadAll: loads on {@code executor}, then tells {@code completionListener} (may be null). */
  void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener completionListener,
      Executor executor) {
    CompletionListener listener = completionListener == null ? NO_COMPLETION : completionListener;
    if (!readThrough.hasLoader()) {
      listener.onCompletion();
      return;
    }
    executor.execute(() -> {
      try {
        Set<K> toLoad = new HashSet<>();
        for (K key : keys) {
          if (replaceExistingValues || !containsKey(key)) {
            toLoad.add(key);
          }
        }
        Events<K, V> events = core.events();
        readThrough.loadAndReplace(toLoad, events);
        events.fire();
        listener.onCompletion();
      } catch (Exception e) {
        listener.onException(e instanceof CacheLoaderException ? e : new CacheLoaderException(e));
      }
    });
  }
}
