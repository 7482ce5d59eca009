package io.memjcache;

import io.memjcache.cluster.ItemStore;
import io.memjcache.cluster.ItemWrite;
import io.memjcache.cluster.KeyListing;
import io.memjcache.cluster.NodeUnavailableException;
import io.memjcache.cluster.StoredItem;
import io.memjcache.cluster.WriteOutcome;
import io.memjcache.logging.Log;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The item store of {@code memjcache.whenUnreachable=miss}: while the nodes of a key cannot be
 * reached, a read is a miss and a write is dropped, as if memcached had evicted the entry at once
 * (memcached may evict any item at any time, so callers already live with that).
 *
 * <p>Guarantees: only {@link NodeUnavailableException} is absorbed (bad items, oversized values
 * and the like still fail); each absorbed operation is counted; one warning is logged when an
 * outage starts and one line when an operation succeeds again. Conditional writes report
 * {@link WriteOutcome#APPLIED}: the write was accepted, then lost like an evicted entry.
 */
final class UnreachableAsMissStore implements ItemStore {

  private static final Log LOG = Log.of(UnreachableAsMissStore.class);

  private final ItemStore store;
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong droppedWrites = new AtomicLong();
  private final AtomicBoolean inOutage = new AtomicBoolean();

  UnreachableAsMissStore(ItemStore store) {
    this.store = store;
  }

  /** The store that fails when nodes are unreachable, for what must not be guessed. */
  ItemStore underlying() {
    return store;
  }

  /** Reads answered as misses because their nodes were unreachable. */
  long misses() {
    return misses.get();
  }

  /** Writes (puts, removes, conditional writes) dropped because their nodes were unreachable. */
  long droppedWrites() {
    return droppedWrites.get();
  }

  @Override
  public StoredItem get(String key) {
    return read(() -> store.get(key), null);
  }

  @Override
  public StoredItem gets(String key) {
    return read(() -> store.gets(key), null);
  }

  @Override
  public StoredItem getsForWrite(String key) {
    return read(() -> store.getsForWrite(key), null);
  }

  @Override
  public Map<String, StoredItem> getAll(Collection<String> keys) {
    return read(() -> store.getAll(keys), Map.of());
  }

  @Override
  public void set(String key, int exptime, byte[] bytes) {
    write(() -> {
      store.set(key, exptime, bytes);
      return null;
    }, null);
  }

  @Override
  public void setAll(List<ItemWrite> writes) {
    write(() -> {
      store.setAll(writes);
      return null;
    }, null);
  }

  @Override
  public WriteOutcome add(String key, int exptime, byte[] bytes) {
    return write(() -> store.add(key, exptime, bytes), WriteOutcome.APPLIED);
  }

  @Override
  public WriteOutcome cas(String key, StoredItem expected, int exptime, byte[] bytes) {
    return write(() -> store.cas(key, expected, exptime, bytes), WriteOutcome.APPLIED);
  }

  @Override
  public boolean delete(String key) {
    return write(() -> store.delete(key), false);
  }

  @Override
  public int deleteAll(Collection<String> keys) {
    return write(() -> store.deleteAll(keys), 0);
  }

  @Override
  public WriteOutcome delete(String key, StoredItem expected) {
    return write(() -> store.delete(key, expected), WriteOutcome.APPLIED);
  }

  @Override
  public KeyListing keys(String prefix, KeyListing.Coverage coverage) {
    // nothing to absorb: the listing skips a node it cannot reach (its keys are on other replicas)
    return store.keys(prefix, coverage);
  }

  private <T> T read(Supplier<T> operation, T miss) {
    return absorb(operation, miss, misses);
  }

  private <T> T write(Supplier<T> operation, T dropped) {
    return absorb(operation, dropped, droppedWrites);
  }

  private <T> T absorb(Supplier<T> operation, T fallback, AtomicLong counter) {
    try {
      T result = operation.get();
      if (inOutage.compareAndSet(true, false)) {
        LOG.info(() -> "memjcache: memcached answers again; " + misses + " reads missed and "
            + droppedWrites + " writes were dropped so far (memjcache.whenUnreachable=miss)");
      }
      return result;
    } catch (NodeUnavailableException e) {
      counter.incrementAndGet();
      if (inOutage.compareAndSet(false, true)) {
        LOG.warning(() -> "memjcache: " + e.getMessage() + "; reads miss and writes are dropped until it"
            + " answers (memjcache.whenUnreachable=miss)");
      }
      return fallback;
    }
  }
}
