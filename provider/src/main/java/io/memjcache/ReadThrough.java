package io.memjcache;

import io.memjcache.event.Events;
import io.memjcache.integration.CacheLoading;
import io.memjcache.processor.Current;
import io.memjcache.processor.Decision;
import io.memjcache.processor.EntryUpdater.Committed;
import io.memjcache.processor.LoadOnce;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.configuration.CompleteConfiguration;

/**
 * The cache loader's part in reads: with read-through configured, a missing entry is loaded and
 * stored as created, unless another write got there first; {@code loadAll} loads whether or not
 * read-through is on and replaces what is there. Loaded values never go to the writer.
 */
final class ReadThrough<K, V> {

  private final boolean readThrough;
  private final CacheLoading<K, V> loading;
  private final CacheEntries<K, V> entries;
  private final CacheCore<K, V> core;

  ReadThrough(CompleteConfiguration<K, V> configuration, CacheLoading<K, V> loading,
      CacheEntries<K, V> entries, CacheCore<K, V> core) {
    this.readThrough = configuration.isReadThrough();
    this.loading = loading;
    this.entries = entries;
    this.core = core;
  }

  /** Returns if reads load missing entries through the cache loader. */
  boolean isOn() {
    return readThrough && loading.isPresent();
  }

  /** A loader an entry processor may call at most once, or null when reads do not load. */
  LoadOnce<K, V> loadOnce() {
    return isOn() ? new LoadOnce<>(loading) : null;
  }

  /** Loads and stores a missing entry when reads load; returns the value loaded, or null. */
  V load(Current<K> missing, Events<K, V> events) {
    if (!isOn()) {
      return null;
    }
    V value = loading.load(missing.key().key());
    if (value != null) {
      storeIfAbsent(missing, value, System.currentTimeMillis(), events);
    }
    return value;
  }

  /** Loads the missing entries in one {@code loadAll} call and stores those loaded. */
  Map<K, V> loadAll(List<Current<K>> missing, Events<K, V> events) {
    List<K> keys = new ArrayList<>();
    missing.forEach(c -> keys.add(c.key().key()));
    Map<K, V> loaded = loading.loadAll(keys);
    Map<K, V> result = new HashMap<>();
    long now = System.currentTimeMillis();
    for (Current<K> cur : missing) {
      V value = loaded == null ? null : loaded.get(cur.key().key());
      if (value != null) {
        storeIfAbsent(cur, value, now, events);
        result.put(cur.key().key(), value);
      }
    }
    return result;
  }

  /** Returns if there is a loader for {@link #loadAndReplace}. */
  boolean hasLoader() {
    return loading.isPresent();
  }

  /** Cache.loadAll's loading: loads {@code keys} and stores each value loaded over what is there. */
  void loadAndReplace(Set<K> keys, Events<K, V> events) {
    Map<K, V> loaded = keys.isEmpty() ? Map.of() : loading.loadAll(keys);
    for (Map.Entry<K, V> e : loaded.entrySet()) {
      if (e.getKey() != null && e.getValue() != null) {
        byte[] valueBytes = entries.bytesOf(e.getValue());
        Committed<K, Boolean> c = entries.update(entries.key(e.getKey()),
            cur -> Decision.put(valueBytes, core.writeExpiry(cur), cur.present()));
        core.writeEvents(c, e.getValue(), events);
      }
    }
  }

  /** A loaded value replaces nothing: it commits only on the entry found missing. */
  private void storeIfAbsent(Current<K> missing, V value, long now, Events<K, V> events) {
    entries.commit(missing, Decision.put(entries.bytesOf(value), core.creationExpiry(now), null), now);
    events.created(missing.key().key(), value);
  }
}
