package io.memjcache.cluster;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Items by memcached key on the whole cluster: the one seam between JCache semantics and the network.
 * Implementations decide which node(s) hold a key. Every method either returns memcached's answer or
 * throws a {@link javax.cache.CacheException}; none blocks longer than the operation timeout.
 */
public interface ItemStore {

  /**
   * Keys per pipelined window of bulk deletes, and per chunk taken from a listing to delete: with
   * two copies on three nodes, about 340 deletes in flight per node, answered within milliseconds.
   * Not tuned finely; without a window a 200k-key clear() ran out of memory (docs/design.md).
   */
  int BULK_WINDOW = 512;

  /** Returns the item, or null if absent. */
  StoredItem get(String key);

  /** Returns the item with its CAS id, or null if absent. */
  StoredItem gets(String key);

  /**
   * Returns the item with its CAS id, or null if absent, for a conditional write likely to follow:
   * a store that keeps copies may read them in the same step, so that copying the write needs no
   * read of its own.
   */
  default StoredItem getsForWrite(String key) {
    return gets(key);
  }

  /** Returns the items found; one multi-get per node, the nodes asked in parallel. */
  Map<String, StoredItem> getAll(Collection<String> keys);

  void set(String key, int exptime, byte[] bytes);

  /** Sets all items, pipelined: every write is sent before any answer is awaited. */
  void setAll(List<ItemWrite> writes);

  /** Stores only if the key is absent. */
  WriteOutcome add(String key, int exptime, byte[] bytes);

  /**
   * Stores only if the item is still {@code expected}, as read by {@link #gets}: same CAS id on the
   * same node.
   */
  WriteOutcome cas(String key, StoredItem expected, int exptime, byte[] bytes);

  /** Deletes; returns if an item was there. */
  boolean delete(String key);

  /**
   * Deletes all, pipelined, with a bounded number in flight; returns how many keys had an item
   * where reads look first.
   */
  int deleteAll(Collection<String> keys);

  /** Deletes only if the item is still {@code expected}, as read by {@link #gets}. */
  WriteOutcome delete(String key, StoredItem expected);

  /**
   * Lists the keys starting with {@code prefix} on every node, node after node, as they are taken;
   * the caller closes the listing.
   */
  KeyListing keys(String prefix, KeyListing.Coverage coverage);

  /**
   * Deletes every key starting with {@code prefix}, chunk after chunk as the nodes are listed,
   * without reading an item; returns how many keys had an item where reads look first.
   */
  default int deleteByPrefix(String prefix) {
    int removed = 0;
    try (KeyListing keys = keys(prefix, KeyListing.Coverage.EVERY_COPY)) {
      for (List<String> chunk = keys.next(BULK_WINDOW); !chunk.isEmpty(); chunk = keys.next(BULK_WINDOW)) {
        removed += deleteAll(chunk);
      }
    }
    return removed;
  }
}
