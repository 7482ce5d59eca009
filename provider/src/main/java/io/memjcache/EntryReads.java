package io.memjcache;

import io.memjcache.cluster.StoredItem;
import io.memjcache.codec.EncodedKey;
import io.memjcache.event.Events;
import io.memjcache.logging.Log;
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

  private final CacheCore<K, V> core;

  EntryReads(CacheCore<K, V> core) {
    this.core = core;
  }

  V get(K key) {
    long start = System.nanoTime();
    EncodedKey<K> k = core.codec.encodeKey(key);
    long now = System.currentTimeMillis();
    Current<K> current = core.updater.read(k, now);
    Events<K, V> events = core.dispatcher.events();
    core.noticeExpired(current, events, true);
    V value;
    if (current.present()) {
      value = core.codec.value(current.envelope());
      core.stats.hits(1);
      core.touch(current, events);
    } else {
      core.stats.misses(1);
      value = core.readThrough(current, events);
    }
    events.fire();
    core.stats.getTime(start);
    return value;
  }

  Map<K, V> getAll(Set<? extends K> keys) {
    long start = System.nanoTime();
    Map<String, EncodedKey<K>> byMemcachedKey = new LinkedHashMap<>(capacityFor(keys.size()));
    for (K key : keys) {
      EncodedKey<K> k = core.codec.encodeKey(key);
      byMemcachedKey.put(k.memcachedKey(), k);
    }
    Map<String, StoredItem> items = core.store.getAll(byMemcachedKey.keySet());
    long now = System.currentTimeMillis();
    Events<K, V> events = core.dispatcher.events();
    Map<K, V> result = new LinkedHashMap<>(capacityFor(byMemcachedKey.size()));
    List<Current<K>> missing = new ArrayList<>();
    for (EncodedKey<K> k : byMemcachedKey.values()) {
      Current<K> current = core.updater.current(k, items.get(k.memcachedKey()), now);
      core.noticeExpired(current, events, true);
      if (current.present()) {
        result.put(k.key(), core.codec.value(current.envelope()));
        core.touch(current, events);
      } else {
        missing.add(current);
      }
    }
    core.stats.hits(result.size());
    core.stats.misses(missing.size());
    if (core.readsThrough() && !missing.isEmpty()) {
      result.putAll(core.loadAndStore(missing, events));
    }
    events.fire();
    core.stats.getTime(start);
    return result;
  }

  boolean containsKey(K key) {
    Current<K> current = core.updater.read(core.codec.encodeKey(key), System.currentTimeMillis());
    Events<K, V> events = core.dispatcher.events();
    core.noticeExpired(current, events, true);
    events.fire();
    return current.present();
  }

  /** JSR-107 loadAll: loads on {@code executor}, then tells {@code completionListener} (may be null). */
  void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener completionListener,
      Executor executor) {
    CompletionListener listener = completionListener == null ? NO_COMPLETION : completionListener;
    if (!core.loading.isPresent()) {
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
        Map<K, V> loaded = toLoad.isEmpty() ? Map.of() : core.loading.loadAll(toLoad);
        Events<K, V> events = core.dispatcher.events();
        for (Map.Entry<K, V> e : loaded.entrySet()) {
          if (e.getKey() != null && e.getValue() != null) {
            core.storeLoaded(e.getKey(), e.getValue(), events);
          }
        }
        events.fire();
        listener.onCompletion();
      } catch (Exception e) {
        listener.onException(e instanceof CacheLoaderException ? e : new CacheLoaderException(e));
      }
    });
  }

  /** A hash map capacity that holds {@code n} entries without resizing (load factor 0.75). */
  static int capacityFor(int n) {
    return n < 3 ? n + 1 : (int) Math.min(Integer.MAX_VALUE, n / 3L * 4 + 4);
  }
}
