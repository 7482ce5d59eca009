package io.memjcache;

import io.memjcache.codec.EncodedKey;
import io.memjcache.integration.CacheWriting;
import io.memjcache.processor.Current;
import io.memjcache.processor.Decision;
import io.memjcache.processor.EntryUpdater;
import io.memjcache.processor.EntryUpdater.Committed;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Write-through for one conditional operation, whose decision the CAS loop of {@link EntryUpdater}
 * takes again each time another JVM changes the entry first. The decide function states what the
 * writer is to hear ({@link #write}, {@link #delete}); this class calls the writer between that
 * decision and its commit.
 *
 * <p>JSR-107 says of {@code CacheWriter.write} and {@code delete}: "If thrown the cache mutation
 * will not occur", and that the non-batch writer methods are "atomic with respect to the
 * corresponding cache operation". A writer cannot be atomic with a CAS on memcached without a lock
 * across JVMs, so for one operation:
 *
 * <ul>
 *   <li>the writer is called before the attempt it describes is committed; if it throws, that
 *       attempt is not committed and the exception propagates: the cache is unchanged;
 *   <li>an attempt that lost its CAS and is decided again the same way (a write of the same value
 *       bytes, or a delete) is not told again: the writer hears each decision once;
 *   <li>when a lost race changes the decision, the writer is told the new one; when the new one
 *       changes nothing (another JVM's write made it moot), the writer is told the state the
 *       operation leaves: a write of the value the cache holds, or a delete if it holds none;
 *   <li>the same when an entry processor throws on its rerun: the writer is told the state the
 *       failed operation leaves;
 *   <li>so the writer's last call of an operation describes what the cache holds when the
 *       operation ends; an operation that never decides to write calls nothing.
 * </ul>
 *
 * <p>Not guaranteed: that the writer calls of different JVMs reach the system of record in the
 * order of their commits. Two JVMs writing one key at once can leave the system of record with the
 * other value than the cache, as with any write-through cache without a distributed lock. Nor when
 * the CAS loop gives up on a hot key ({@link EntryUpdater}): its last decision was told and not
 * committed.
 */
final class WriteThroughOnce<K, V> {

  private enum Kind {
    NOTHING,
    WRITE,
    DELETE
  }

  /** One writer call: a write of {@code value} (whose bytes tell calls apart), a delete, or none. */
  private record Call<V>(Kind kind, V value, byte[] valueBytes) {

    boolean sameAs(Call<V> other) {
      return kind == other.kind && Arrays.equals(valueBytes, other.valueBytes);
    }
  }

  private final CacheEntries<K, V> entries;
  private final CacheWriting<K, V> writing;
  private final Call<V> nothing = new Call<>(Kind.NOTHING, null, null);
  private final Call<V> deletion = new Call<>(Kind.DELETE, null, null);
  /** What the current attempt decided the writer is to hear. */
  private Call<V> decided = nothing;
  /** What the writer last heard from this operation. */
  private Call<V> told = nothing;

  WriteThroughOnce(CacheEntries<K, V> entries, CacheWriting<K, V> writing) {
    this.entries = entries;
    this.writing = writing;
  }

  /** Runs {@code decide} in the CAS loop, telling the writer of each attempt before its commit. */
  <R> Committed<K, R> update(EncodedKey<K> key, Function<Current<K>, Decision<R>> decide) {
    return entries.update(key, cur -> {
      Decision<R> decision;
      try {
        decision = decide.apply(cur);
      } catch (RuntimeException failed) {
        // an entry processor that throws on a rerun: the operation ends on the state it found
        decided = nothing;
        try {
          tell(cur);
        } catch (RuntimeException alsoFailed) {
          failed.addSuppressed(alsoFailed);
        }
        throw failed;
      }
      tell(cur);
      return decision;
    });
  }

  /** Called by the decide function: this attempt writes {@code value} through. */
  void write(V value, byte[] valueBytes) {
    if (writing.isEnabled()) {
      decided = new Call<>(Kind.WRITE, value, valueBytes);
    }
  }

  /** Called by the decide function: this attempt deletes the key through. */
  void delete() {
    if (writing.isEnabled()) {
      decided = deletion;
    }
  }

  private void tell(Current<K> cur) {
    Call<V> next = decided;
    decided = nothing;
    if (next.kind() == Kind.NOTHING) {
      if (told.kind() == Kind.NOTHING) {
        return;
      }
      next = stateOf(cur); // an earlier attempt told of a write that will now not happen
    }
    if (next.sameAs(told)) {
      return;
    }
    K key = cur.key().key();
    if (next.kind() == Kind.WRITE) {
      writing.write(new SimpleEntry<>(key, next.value()));
    } else {
      writing.delete(key);
    }
    told = next;
  }

  private Call<V> stateOf(Current<K> cur) {
    return cur.present()
        ? new Call<>(Kind.WRITE, entries.valueOf(cur), cur.envelope().valueBytes())
        : deletion;
  }
}
