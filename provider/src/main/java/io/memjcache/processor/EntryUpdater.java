package io.memjcache.processor;

import io.memjcache.cluster.ItemStore;
import io.memjcache.cluster.StoredItem;
import io.memjcache.cluster.WriteOutcome;
import io.memjcache.codec.CorruptEntryException;
import io.memjcache.codec.EncodedKey;
import io.memjcache.codec.EntryCodec;
import io.memjcache.codec.Envelope;
import io.memjcache.expiry.ExpiryTimes;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.cache.CacheException;
import org.jspecify.annotations.Nullable;

/**
 * Atomic read-modify-write of one entry across JVMs: {@code gets}, decide, then {@code add},
 * {@code cas} or delete-with-cas, retried from a fresh read whenever another writer got in between.
 *
 * <p>The decide function may therefore run more than once for one call; it must be free of side
 * effects that cannot be repeated, or perform them only for the decision that commits. The loop is
 * bounded: after {@link #MAX_ATTEMPTS} lost races it gives up with a {@link CacheException} rather
 * than spinning forever on a hot key.
 */
public final class EntryUpdater<K, V> {

  static final int MAX_ATTEMPTS = 10_000;

  private final ItemStore store;
  private final EntryCodec<K, V> codec;
  private final BadItems badItems;
  private final LocalTurns turns = new LocalTurns();

  public EntryUpdater(ItemStore store, EntryCodec<K, V> codec) {
    this.store = store;
    this.codec = codec;
    this.badItems = new BadItems(store);
  }

  /** Reads the entry of a key with its CAS id. */
  public Current<K> read(EncodedKey<K> key, long now) {
    return current(key, store.gets(key.memcachedKey()), now);
  }

  /** Reads the entry of a key with its CAS id, for a decision to commit (see ItemStore#getsForWrite). */
  private Current<K> readForWrite(EncodedKey<K> key, long now) {
    return current(key, store.getsForWrite(key.memcachedKey()), now);
  }

  /** Interprets an item read for {@code key}; a bad one is absent (and deleted, see {@link BadItems}). */
  public Current<K> current(EncodedKey<K> key, StoredItem item, long now) {
    try {
      Envelope envelope = codec.decode(item, key);
      return new Current<>(key, item, envelope, envelope != null && envelope.isExpiredAt(now), now);
    } catch (CorruptEntryException e) {
      return new Current<>(key, discard(key.memcachedKey(), item, e), null, false, now);
    }
  }

  /** Counts, logs and deletes an item that is not a valid entry; returns it, or null once deleted. */
  public @Nullable StoredItem discard(String memcachedKey, StoredItem item, CorruptEntryException why) {
    return badItems.discard(memcachedKey, item, why);
  }

  /**
   * Runs {@code decide} against the current entry until its decision is committed; threads of this
   * JVM updating the same key take turns ({@link LocalTurns}).
   */
  public <R> Committed<K, R> update(EncodedKey<K> key, Function<Current<K>, Decision<R>> decide) {
    @Nullable ReentrantLock turn = turns.await(key.memcachedKey());
    try {
      return untilCommitted(key, decide);
    } finally {
      if (turn != null) {
        turn.unlock();
      }
    }
  }

  private <R> Committed<K, R> untilCommitted(EncodedKey<K> key, Function<Current<K>, Decision<R>> decide) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      long now = System.currentTimeMillis();
      Current<K> current = readForWrite(key, now);
      Decision<R> decision = decide.apply(current);
      if (commit(current, decision, now)) {
        return new Committed<>(current, decision, now);
      }
      ConflictBackoff.after(attempt + 1);
    }
    throw new CacheException("gave up on key " + key.memcachedKey() + " after " + MAX_ATTEMPTS
        + " conflicting concurrent writes");
  }

  /** Tries to apply one decision; false when another writer changed the item since it was read. */
  public boolean commit(Current<K> current, Decision<?> decision, long now) {
    String mkey = current.key().memcachedKey();
    StoredItem item = current.item();
    if (item != null && item.cas() == 0 && decision.kind() != Decision.Kind.NONE) {
      // read by a multi-get, which returns no CAS id, and CAS id 0 would make the write
      // unconditional: fetch the id, and give up if the item changed in between
      item = sameItemWithCas(current, item);
      if (item == null) {
        return false;
      }
    }
    switch (decision.kind()) {
      case NONE:
        return true;
      case REMOVE:
        // NOT_FOUND is a conflict too: another writer deleted it first, so this decision lost
        return item == null || store.delete(mkey, item) == WriteOutcome.APPLIED;
      case PUT:
        if (decision.expiresAtMillis() <= now) {
          // expires at once (Duration.ZERO): JSR-107 says it is not stored, so nothing must remain
          return item == null || store.delete(mkey, item) == WriteOutcome.APPLIED;
        }
        Envelope old = current.envelope();
        long replaced = old == null ? Long.MIN_VALUE : old.version();
        byte[] value = Objects.requireNonNull(decision.valueBytes(), "a PUT decision holds its value");
        byte[] bytes = codec.envelope(current.key(), value, decision.expiresAtMillis(), replaced);
        int exptime = ExpiryTimes.exptime(decision.expiresAtMillis(), now);
        WriteOutcome outcome = item == null
            ? store.add(mkey, exptime, bytes)
            : store.cas(mkey, item, exptime, bytes);
        return outcome == WriteOutcome.APPLIED;
      default:
        throw new AssertionError(decision.kind());
    }
  }

  private @Nullable StoredItem sameItemWithCas(Current<K> current, StoredItem read) {
    StoredItem fresh = store.getsForWrite(current.key().memcachedKey());
    if (fresh == null) {
      return null;
    }
    Envelope before = current.envelope();
    Envelope now = decodedOrNull(fresh, current.key());
    boolean same = before == null
        ? now == null && java.util.Arrays.equals(fresh.bytes(), read.bytes())
        : now != null && now.version() == before.version();
    return same ? fresh : null;
  }

  private @Nullable Envelope decodedOrNull(StoredItem item, EncodedKey<K> key) {
    try {
      return codec.decode(item, key);
    } catch (CorruptEntryException bad) {
      return null; // compared by its bytes instead
    }
  }

  /** A decision that was committed, with the state it was decided on. */
  public record Committed<K, R>(Current<K> before, Decision<R> decision, long now) {

    public R result() {
      return decision.result();
    }

    /** Returns if a value was stored; a PUT that expires at once stores nothing (JSR-107 6.1). */
    public boolean stored() {
      return decision.kind() == Decision.Kind.PUT && decision.expiresAtMillis() > now;
    }
  }
}
