package io.memjcache.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The items of a {@link FakeNode}, kept as memcached keeps them: flags, bytes, a CAS id from one
 * counter per node that every change advances, and an expiry after which the item is gone. Not
 * thread-safe: the node calls it under its lock.
 */
final class FakeItems {

  /** Beyond this many seconds an exptime is an absolute Unix time (memcached protocol.txt). */
  private static final int RELATIVE_EXPTIME_LIMIT = 60 * 60 * 24 * 30;

  private record Item(int flags, byte[] bytes, long cas, long expiresAtMillis) {}

  private final Map<String, Item> items = new HashMap<>();
  private long lastCas;

  /** The item with its CAS id, or null if absent or expired. */
  StoredItem get(String key, ServerAddress source) {
    Item item = live(key);
    return item == null ? null : new StoredItem(item.flags(), item.bytes().clone(), item.cas(), source);
  }

  boolean contains(String key) {
    return live(key) != null;
  }

  /** The keys of the live items that start with {@code prefix}, as memcached's crawler lists them. */
  List<String> keys(String prefix) {
    List<String> keys = new ArrayList<>();
    for (String key : List.copyOf(items.keySet())) {
      if (key.startsWith(prefix) && live(key) != null) {
        keys.add(key);
      }
    }
    return keys;
  }

  /** Stores the item whatever the key holds; returns its CAS id. */
  long set(String key, int flags, byte[] bytes, int exptime) {
    items.put(key, new Item(flags, bytes.clone(), ++lastCas, expiresAt(exptime)));
    return lastCas;
  }

  /** Replaces the item if it still has CAS id {@code cas}. */
  WriteOutcome replace(String key, long cas, int flags, byte[] bytes, int exptime) {
    WriteOutcome match = match(key, cas);
    if (match == WriteOutcome.APPLIED) {
      set(key, flags, bytes, exptime);
    }
    return match;
  }

  /** Removes the item if it still has CAS id {@code cas}. */
  WriteOutcome delete(String key, long cas) {
    WriteOutcome match = match(key, cas);
    if (match == WriteOutcome.APPLIED) {
      items.remove(key);
    }
    return match;
  }

  /** Removes the item; returns if there was one. */
  boolean delete(String key) {
    return live(key) != null && items.remove(key) != null;
  }

  /** Gives the item a new CAS id, as another client's write of the same bytes would. */
  void touch(String key) {
    Item item = live(key);
    if (item != null) {
      items.put(key, new Item(item.flags(), item.bytes(), ++lastCas, item.expiresAtMillis()));
    }
  }

  void clear() {
    items.clear();
  }

  /** The last CAS id given out. */
  long lastCas() {
    return lastCas;
  }

  /** Whether a change by CAS id {@code cas} applies: NOT_FOUND, CONFLICT (another CAS id) or APPLIED. */
  private WriteOutcome match(String key, long cas) {
    Item item = live(key);
    if (item == null) {
      return WriteOutcome.NOT_FOUND;
    }
    return item.cas() == cas ? WriteOutcome.APPLIED : WriteOutcome.CONFLICT;
  }

  private Item live(String key) {
    Item item = items.get(key);
    if (item != null && item.expiresAtMillis() <= System.currentTimeMillis()) {
      items.remove(key);
      return null;
    }
    return item;
  }

  /** memcached's exptime: 0 never, up to 30 days relative, beyond an absolute Unix time. */
  private static long expiresAt(int exptime) {
    if (exptime == 0) {
      return Long.MAX_VALUE;
    }
    return exptime <= RELATIVE_EXPTIME_LIMIT
        ? System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(exptime)
        : TimeUnit.SECONDS.toMillis(exptime);
  }
}
