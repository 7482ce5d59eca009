package io.memjcache;

import io.memjcache.codec.EncodedKey;
import io.memjcache.event.Events;
import io.memjcache.integration.CacheWriting;
import io.memjcache.management.CacheStatistics;
import io.memjcache.processor.Decision;
import io.memjcache.processor.EntryUpdater.Committed;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;

/**
 * The writing operations of a cache with their JSR-107 rules: write-through before the cache
 * changes, expiry by creation or update, events and statistics after the commit. Arguments are
 * already checked by the facade. Whatever depends on the current entry is one CAS update; an
 * operation that writes through only on some outcomes tells the writer through {@link
 * WriteThroughOnce}, once per decision that commits, not once per attempt.
 */
final class EntryWrites<K, V> {

  /** How a conditional operation found its entry. */
  private enum Outcome {
    ABSENT,
    MISMATCH,
    DONE
  }

  private final CacheEntries<K, V> entries;
  private final CacheCore<K, V> core;
  private final CacheWriting<K, V> writing;
  private final CacheStatistics stats;

  EntryWrites(CacheEntries<K, V> entries, CacheCore<K, V> core, CacheWriting<K, V> writing,
      CacheStatistics stats) {
    this.entries = entries;
    this.core = core;
    this.writing = writing;
    this.stats = stats;
  }

  void put(K key, V value) {
    long start = System.nanoTime();
    writing.write(new SimpleEntry<>(key, value));
    Events<K, V> events = core.events();
    boolean stored = core.storeValue(entries.key(key), value, events);
    events.fire();
    stats.puts(stored ? 1 : 0, start);
  }

  V getAndPut(K key, V value) {
    long start = System.nanoTime();
    writing.write(new SimpleEntry<>(key, value));
    byte[] valueBytes = entries.bytesOf(value);
    Committed<K, Boolean> c = entries.update(entries.key(key),
        cur -> Decision.put(valueBytes, core.writeExpiry(cur), cur.present()));
    V old = entries.oldValue(c.before());
    Events<K, V> events = core.events();
    core.noticeExpired(c.before(), events, false);
    core.writeEvents(c, value, events);
    events.fire();
    stats.hitOrMiss(old != null);
    stats.puts(c.stored() ? 1 : 0, start);
    stats.getTime(start);
    return old;
  }

  void putAll(Map<? extends K, ? extends V> map) {
    long start = System.nanoTime();
    Collection<Cache.Entry<? extends K, ? extends V>> toWrite = new ArrayList<>();
    map.forEach((k, v) -> toWrite.add(new SimpleEntry<K, V>(k, v)));
    RuntimeException writerFailure = null;
    try {
      writing.writeAll(toWrite);
      toWrite.clear();
    } catch (RuntimeException e) {
      writerFailure = e; // what the writer left in toWrite was not written: do not cache it
    }
    Set<Object> unwritten = new HashSet<>();
    toWrite.forEach(e -> unwritten.add(e.getKey()));
    Map<K, V> accepted = new LinkedHashMap<>();
    map.forEach((k, v) -> {
      if (!unwritten.contains(k)) {
        accepted.put(k, v);
      }
    });
    Events<K, V> events = core.events();
    int stored = core.storeValues(accepted, events);
    events.fire();
    stats.puts(stored, start);
    if (writerFailure != null) {
      throw writerFailure;
    }
  }

  boolean putIfAbsent(K key, V value) {
    long start = System.nanoTime();
    byte[] valueBytes = entries.bytesOf(value);
    WriteThroughOnce<K, V> through = core.writeThroughOnce();
    Committed<K, Boolean> c = through.update(entries.key(key), cur -> {
      if (cur.present()) {
        return Decision.none(false);
      }
      through.write(value, valueBytes);
      return Decision.put(valueBytes, core.creationExpiry(cur.now()), true);
    });
    Events<K, V> events = core.events();
    core.noticeExpired(c.before(), events, !c.result());
    if (c.result()) {
      core.writeEvents(c, value, events);
      stats.misses(1);
      stats.puts(c.stored() ? 1 : 0, start);
    } else {
      stats.hits(1);
    }
    events.fire();
    return c.result();
  }

  boolean remove(K key) {
    long start = System.nanoTime();
    writing.delete(key);
    EncodedKey<K> k = entries.key(key);
    boolean removed;
    if (core.canRemoveBlindly()) {
      removed = entries.deleteUnread(k);
    } else {
      Committed<K, Boolean> c = entries.update(k,
          cur -> cur.present() ? Decision.remove(true) : Decision.none(false));
      removed = c.result();
      Events<K, V> events = core.events();
      core.noticeExpired(c.before(), events, true);
      if (removed) {
        events.removed(key, entries.oldValue(c.before()));
      }
      events.fire();
    }
    if (removed) {
      stats.removals(1, start);
    }
    return removed;
  }

  boolean remove(K key, V oldValue) {
    long start = System.nanoTime();
    byte[] oldBytes = entries.bytesOf(oldValue);
    WriteThroughOnce<K, V> through = core.writeThroughOnce();
    Committed<K, Outcome> c = through.update(entries.key(key), cur -> {
      if (!cur.present()) {
        return Decision.none(Outcome.ABSENT);
      }
      if (!entries.holds(cur, oldBytes, oldValue)) {
        return Decision.none(Outcome.MISMATCH);
      }
      through.delete();
      return Decision.remove(Outcome.DONE);
    });
    Events<K, V> events = core.events();
    core.noticeExpired(c.before(), events, true);
    if (c.result() == Outcome.DONE) {
      events.removed(key, entries.oldValue(c.before()));
      stats.removals(1, start);
    } else if (c.result() == Outcome.MISMATCH) {
      core.touch(c.before(), events);
    }
    stats.hitOrMiss(c.result() != Outcome.ABSENT);
    events.fire();
    return c.result() == Outcome.DONE;
  }

  V getAndRemove(K key) {
    long start = System.nanoTime();
    writing.delete(key);
    Committed<K, Boolean> c = entries.update(entries.key(key),
        cur -> cur.present() ? Decision.remove(true) : Decision.none(false));
    V old = entries.oldValue(c.before());
    Events<K, V> events = core.events();
    core.noticeExpired(c.before(), events, true);
    if (c.result()) {
      events.removed(key, old);
      stats.removals(1, start);
    }
    stats.hitOrMiss(c.result());
    stats.getTime(start);
    events.fire();
    return c.result() ? old : null;
  }

  boolean replace(K key, V oldValue, V newValue) {
    long start = System.nanoTime();
    byte[] oldBytes = entries.bytesOf(oldValue);
    byte[] newBytes = entries.bytesOf(newValue);
    WriteThroughOnce<K, V> through = core.writeThroughOnce();
    Committed<K, Outcome> c = through.update(entries.key(key), cur -> {
      if (!cur.present()) {
        return Decision.none(Outcome.ABSENT);
      }
      if (!entries.holds(cur, oldBytes, oldValue)) {
        return Decision.none(Outcome.MISMATCH);
      }
      through.write(newValue, newBytes);
      return Decision.put(newBytes, core.writeExpiry(cur), Outcome.DONE);
    });
    Events<K, V> events = core.events();
    core.noticeExpired(c.before(), events, true);
    if (c.result() == Outcome.DONE) {
      core.writeEvents(c, newValue, events);
      stats.puts(c.stored() ? 1 : 0, start);
    } else if (c.result() == Outcome.MISMATCH) {
      core.touch(c.before(), events);
    }
    stats.hitOrMiss(c.result() != Outcome.ABSENT);
    events.fire();
    return c.result() == Outcome.DONE;
  }

  // replace(k, v) shares this path and only tests the result for null: any non-null V will do
  @SuppressWarnings("unchecked")
  V getAndReplace(K key, V value, boolean wantOld) {
    long start = System.nanoTime();
    byte[] valueBytes = entries.bytesOf(value);
    WriteThroughOnce<K, V> through = core.writeThroughOnce();
    Committed<K, Boolean> c = through.update(entries.key(key), cur -> {
      if (!cur.present()) {
        return Decision.none(false);
      }
      through.write(value, valueBytes);
      return Decision.put(valueBytes, core.writeExpiry(cur), true);
    });
    Events<K, V> events = core.events();
    core.noticeExpired(c.before(), events, true);
    V old = null;
    if (c.result()) {
      old = wantOld ? entries.oldValue(c.before()) : null;
      core.writeEvents(c, value, events);
      stats.puts(c.stored() ? 1 : 0, start);
    }
    stats.hitOrMiss(c.result());
    if (wantOld) {
      stats.getTime(start);
    }
    events.fire();
    if (!c.result()) {
      return null;
    }
    return wantOld ? old : (V) Boolean.TRUE;
  }
}
