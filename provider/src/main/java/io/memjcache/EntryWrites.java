package io.memjcache;

import io.memjcache.cluster.ItemWrite;
import io.memjcache.codec.EncodedKey;
import io.memjcache.event.Events;
import io.memjcache.expiry.ExpiryTimes;
import io.memjcache.processor.Decision;
import io.memjcache.processor.EntryUpdater.Committed;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
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

  private final CacheCore<K, V> core;

  EntryWrites(CacheCore<K, V> core) {
    this.core = core;
  }

  void put(K key, V value) {
    long start = System.nanoTime();
    core.writing.write(new SimpleEntry<>(key, value));
    Events<K, V> events = core.dispatcher.events();
    boolean stored = core.storeValue(core.codec.encodeKey(key), value, events);
    events.fire();
    core.stats.puts(stored ? 1 : 0, start);
  }

  V getAndPut(K key, V value) {
    long start = System.nanoTime();
    core.writing.write(new SimpleEntry<>(key, value));
    byte[] valueBytes = core.codec.encodeValue(value);
    Committed<K, Boolean> c = core.updater.update(core.codec.encodeKey(key),
        cur -> Decision.put(valueBytes, core.writeExpiry(cur), cur.present()));
    V old = core.oldValue(c.before());
    Events<K, V> events = core.dispatcher.events();
    core.noticeExpired(c.before(), events, false);
    core.writeEvents(c, value, events);
    events.fire();
    core.stats.hitOrMiss(old != null);
    core.stats.puts(c.stored() ? 1 : 0, start);
    core.stats.getTime(start);
    return old;
  }

  void putAll(Map<? extends K, ? extends V> map) {
    long start = System.nanoTime();
    Collection<Cache.Entry<? extends K, ? extends V>> toWrite = new ArrayList<>();
    map.forEach((k, v) -> toWrite.add(new SimpleEntry<K, V>(k, v)));
    RuntimeException writerFailure = null;
    try {
      core.writing.writeAll(toWrite);
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
    Events<K, V> events = core.dispatcher.events();
    int stored = 0;
    if (core.canWriteBlindly()) {
      long now = System.currentTimeMillis();
      long expiresAt = core.expiry.onCreation(now);
      List<ItemWrite> writes = new ArrayList<>(accepted.size());
      List<String> deletes = new ArrayList<>();
      for (Map.Entry<K, V> e : accepted.entrySet()) {
        EncodedKey<K> k = core.codec.encodeKey(e.getKey());
        if (expiresAt <= now) {
          deletes.add(k.memcachedKey());
        } else {
          writes.add(new ItemWrite(k.memcachedKey(), ExpiryTimes.exptime(expiresAt, now),
              core.codec.envelope(k, core.codec.encodeValue(e.getValue()), expiresAt)));
        }
      }
      core.store.setAll(writes);
      core.store.deleteAll(deletes);
      stored = writes.size();
    } else {
      for (Map.Entry<K, V> e : accepted.entrySet()) {
        stored += core.storeValue(core.codec.encodeKey(e.getKey()), e.getValue(), events) ? 1 : 0;
      }
    }
    events.fire();
    core.stats.puts(stored, start);
    if (writerFailure != null) {
      throw writerFailure;
    }
  }

  boolean putIfAbsent(K key, V value) {
    long start = System.nanoTime();
    byte[] valueBytes = core.codec.encodeValue(value);
    WriteThroughOnce<K, V> through = core.writeThroughOnce();
    Committed<K, Boolean> c = through.update(core.codec.encodeKey(key), cur -> {
      if (cur.present()) {
        return Decision.none(false);
      }
      through.write(value, valueBytes);
      return Decision.put(valueBytes, core.expiry.onCreation(cur.now()), true);
    });
    Events<K, V> events = core.dispatcher.events();
    core.noticeExpired(c.before(), events, !c.result());
    if (c.result()) {
      core.writeEvents(c, value, events);
      core.stats.misses(1);
      core.stats.puts(c.stored() ? 1 : 0, start);
    } else {
      core.stats.hits(1);
    }
    events.fire();
    return c.result();
  }

  boolean remove(K key) {
    long start = System.nanoTime();
    core.writing.delete(key);
    EncodedKey<K> k = core.codec.encodeKey(key);
    boolean removed;
    if (core.expiry.isEternal() && !core.dispatcher.hasListeners()) {
      removed = core.store.delete(k.memcachedKey());
    } else {
      Committed<K, Boolean> c = core.updater.update(k,
          cur -> cur.present() ? Decision.remove(true) : Decision.none(false));
      removed = c.result();
      Events<K, V> events = core.dispatcher.events();
      core.noticeExpired(c.before(), events, true);
      if (removed) {
        events.removed(key, core.oldValue(c.before()));
      }
      events.fire();
    }
    if (removed) {
      core.stats.removals(1, start);
    }
    return removed;
  }

  boolean remove(K key, V oldValue) {
    long start = System.nanoTime();
    byte[] oldBytes = core.codec.encodeValue(oldValue);
    WriteThroughOnce<K, V> through = core.writeThroughOnce();
    Committed<K, Outcome> c = through.update(core.codec.encodeKey(key), cur -> {
      if (!cur.present()) {
        return Decision.none(Outcome.ABSENT);
      }
      if (!core.holds(cur, oldBytes, oldValue)) {
        return Decision.none(Outcome.MISMATCH);
      }
      through.delete();
      return Decision.remove(Outcome.DONE);
    });
    Events<K, V> events = core.dispatcher.events();
    core.noticeExpired(c.before(), events, true);
    if (c.result() == Outcome.DONE) {
      events.removed(key, core.oldValue(c.before()));
      core.stats.removals(1, start);
    } else if (c.result() == Outcome.MISMATCH) {
      core.touch(c.before(), events);
    }
    core.stats.hitOrMiss(c.result() != Outcome.ABSENT);
    events.fire();
    return c.result() == Outcome.DONE;
  }

  V getAndRemove(K key) {
    long start = System.nanoTime();
    core.writing.delete(key);
    Committed<K, Boolean> c = core.updater.update(core.codec.encodeKey(key),
        cur -> cur.present() ? Decision.remove(true) : Decision.none(false));
    V old = core.oldValue(c.before());
    Events<K, V> events = core.dispatcher.events();
    core.noticeExpired(c.before(), events, true);
    if (c.result()) {
      events.removed(key, old);
      core.stats.removals(1, start);
    }
    core.stats.hitOrMiss(c.result());
    core.stats.getTime(start);
    events.fire();
    return c.result() ? old : null;
  }

  boolean replace(K key, V oldValue, V newValue) {
    long start = System.nanoTime();
    byte[] oldBytes = core.codec.encodeValue(oldValue);
    byte[] newBytes = core.codec.encodeValue(newValue);
    WriteThroughOnce<K, V> through = core.writeThroughOnce();
    Committed<K, Outcome> c = through.update(core.codec.encodeKey(key), cur -> {
      if (!cur.present()) {
        return Decision.none(Outcome.ABSENT);
      }
      if (!core.holds(cur, oldBytes, oldValue)) {
        return Decision.none(Outcome.MISMATCH);
      }
      through.write(newValue, newBytes);
      return Decision.put(newBytes, core.writeExpiry(cur), Outcome.DONE);
    });
    Events<K, V> events = core.dispatcher.events();
    core.noticeExpired(c.before(), events, true);
    if (c.result() == Outcome.DONE) {
      core.writeEvents(c, newValue, events);
      core.stats.puts(c.stored() ? 1 : 0, start);
    } else if (c.result() == Outcome.MISMATCH) {
      core.touch(c.before(), events);
    }
    core.stats.hitOrMiss(c.result() != Outcome.ABSENT);
    events.fire();
    return c.result() == Outcome.DONE;
  }

  // replace(k, v) shares this path and only tests the result for null: any non-null V will do
  @SuppressWarnings("unchecked")
  V getAndReplace(K key, V value, boolean wantOld) {
    long start = System.nanoTime();
    byte[] valueBytes = core.codec.encodeValue(value);
    WriteThroughOnce<K, V> through = core.writeThroughOnce();
    Committed<K, Boolean> c = through.update(core.codec.encodeKey(key), cur -> {
      if (!cur.present()) {
        return Decision.none(false);
      }
      through.write(value, valueBytes);
      return Decision.put(valueBytes, core.writeExpiry(cur), true);
    });
    Events<K, V> events = core.dispatcher.events();
    core.noticeExpired(c.before(), events, true);
    V old = null;
    if (c.result()) {
      old = wantOld ? core.oldValue(c.before()) : null;
      core.writeEvents(c, value, events);
      core.stats.puts(c.stored() ? 1 : 0, start);
    }
    core.stats.hitOrMiss(c.result());
    if (wantOld) {
      core.stats.getTime(start);
    }
    events.fire();
    if (!c.result()) {
      return null;
    }
    return wantOld ? old : (V) Boolean.TRUE;
  }
}
