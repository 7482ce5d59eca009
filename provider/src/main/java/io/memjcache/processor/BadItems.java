package io.memjcache.processor;

import io.memjcache.cluster.ItemStore;
import io.memjcache.cluster.StoredItem;
import io.memjcache.cluster.WriteOutcome;
import io.memjcache.codec.CorruptEntryException;
import io.memjcache.management.BadEntries;
import java.util.Arrays;
import javax.cache.CacheException;
import org.jspecify.annotations.Nullable;

/**
 * Turns an item that is not a valid entry into a miss for that entry alone: it is counted and
 * logged ({@link BadEntries}), then deleted with CAS, so the outage it causes ends at once instead
 * of lasting until it expires.
 *
 * <p>Only the exact item that was read is deleted: with its CAS id, or, for one read by a multi-get
 * (which has none), with the CAS id of a fresh {@code gets} whose bytes are the same. A good entry
 * written since is never removed. Failing to delete (a node down, a concurrent write) only leaves
 * the item for the next reader.
 */
final class BadItems {

  private final ItemStore store;

  BadItems(ItemStore store) {
    this.store = store;
  }

  /** Returns the item as it stands after the attempt: null once deleted. */
  @Nullable StoredItem discard(String memcachedKey, StoredItem item, CorruptEntryException why) {
    BadEntries.INSTANCE.found(memcachedKey, why.getMessage());
    try {
      StoredItem exact = item.cas() != 0 ? item : store.gets(memcachedKey);
      if (exact == null) {
        return null;
      }
      if (exact.flags() != item.flags() || !Arrays.equals(exact.bytes(), item.bytes())) {
        return item; // replaced since it was read: not ours to delete
      }
      if (store.delete(memcachedKey, exact) == WriteOutcome.APPLIED) {
        BadEntries.INSTANCE.deleted();
        return null;
      }
    } catch (CacheException unreachable) {
      // the read already answers a miss; the next reader tries again
    }
    return item;
  }
}
