package io.memjcache;

import io.memjcache.cluster.ItemStore;
import io.memjcache.cluster.NodeUnavailableException;
import io.memjcache.codec.EncodedKey;
import io.memjcache.codec.EntryCodec;
import io.memjcache.codec.EntryFormat;
import io.memjcache.codec.Envelope;
import io.memjcache.codec.KeyCodec;
import io.memjcache.codec.KryoSerializer;
import io.memjcache.logging.Log;
import io.memjcache.processor.Current;
import io.memjcache.processor.Decision;
import io.memjcache.processor.EntryUpdater;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.cache.CacheException;

/**
 * The generation of a cache's keys, so that {@code clear()} costs a few round trips whatever the
 * cache or the servers hold: it moves every client to a new generation, whose keys no entry has
 * yet, and leaves the old items to memcached's LRU and expiry (docs/design.md#clear).
 *
 * <p>The generation is a {@link GenerationRecord}, an entry of the cache like any other (replicated,
 * repaired, sealed when the cluster has a secret) under a name no entry key has. A clear writes a
 * new generation that takes over at a switch time; every client uses the generation the record
 * gives for the wall-clock moment of each operation.
 *
 * <p>Guarantee: no operation of any client that begins after {@code clear()} returned reads an entry
 * written before the clear. It rests on two rules:
 *
 * <ul>
 *   <li>A client uses what it read of the record for one lease (an operation timeout) at most,
 *       counted from before the read was sent; an operation after that reads the record again
 *       first (and one after half a lease refreshes it, so a busy cache rarely waits).
 *   <li>A clear's switch time is one write budget, one lease and one guard after it began, so every
 *       client that operates reads the new record before the switch; operations that begin within
 *       the guard around it (clocks of clients differ) wait until it is past, so that no operation
 *       on the old keys begins after one on the new keys.
 * </ul>
 *
 * <p>A record that is missing or unreadable (evicted, deleted or overwritten by a stranger) is
 * replaced by a generation no entry has: at worst a clear nobody asked for, never a resurrection.
 */
final class CacheGeneration {

  private static final Log LOG = Log.of(CacheGeneration.class);

  /** The record's cache key. Entry keys have a generation and a second ':', the record's name not. */
  private static final String RECORD = "generation";

  private final KeyCodec names;
  private final EntryCodec<String, String> codec;
  private final EntryUpdater<String, String> updater;
  private final EncodedKey<String> recordKey;
  private final long leaseNanos;
  private final long guardMillis;
  private final long operationTimeoutMillis;
  private final boolean missMode;
  private final ReentrantLock reading = new ReentrantLock();
  private volatile State state;

  CacheGeneration(ItemStore store, KeyCodec names, KryoSerializer serializer, EntryFormat format,
      long operationTimeoutMillis) {
    this.names = names;
    this.codec = new EntryCodec<>(() -> names, serializer, format, String.class, String.class);
    // the record is read for real also with whenUnreachable=miss: a record read as a miss would
    // move this client to a generation of its own, and the writes it acknowledges there would be lost
    this.missMode = store instanceof UnreachableAsMissStore;
    this.updater = new EntryUpdater<>(missMode ? ((UnreachableAsMissStore) store).underlying() : store, codec);
    this.recordKey = codec.encodeKey(RECORD);
    this.leaseNanos = TimeUnit.MILLISECONDS.toNanos(operationTimeoutMillis);
    this.guardMillis = Math.max(1, operationTimeoutMillis / 4);
    this.operationTimeoutMillis = operationTimeoutMillis;
  }

  /** The key codec for an operation beginning now: may read the record first, or wait out a switch. */
  KeyCodec keys() {
    State s = state;
    if (s == null || System.nanoTime() - s.readAtNanos >= leaseNanos / 2) {
      s = refreshed(s);
    }
    return s.keysAt(System.currentTimeMillis(), guardMillis);
  }

  /**
   * Moves the cache to a new generation and returns once every client uses it. A clear already
   * pending (another client's, not yet switched) clears all this one must: it is waited for instead.
   */
  void clear() {
    long readAt = System.nanoTime();
    long start = System.currentTimeMillis();
    // the write's budget and the lease are one operation timeout each
    long switchAt = start + 2 * operationTimeoutMillis + guardMillis;
    EntryUpdater.Committed<String, GenerationRecord> c = updater.update(recordKey, cur -> {
      GenerationRecord r = recordOf(cur);
      if (r != null && r.switchAtMillis() > cur.now()) {
        return Decision.none(r);
      }
      GenerationRecord next = r == null
          ? GenerationRecord.fresh(cur.now()).clearedAt(cur.now(), switchAt)
          : r.clearedAt(cur.now(), switchAt);
      return Decision.put(codec.encodeValue(next.format()), Envelope.ETERNAL, next);
    });
    GenerationRecord record = c.result();
    state = new State(record, readAt, names);
    long late = System.currentTimeMillis() - (record.switchAtMillis() - guardMillis - operationTimeoutMillis);
    if (late > 0 && c.decision().kind() == Decision.Kind.PUT) {
      LOG.warning(() -> "clear() wrote its generation " + late + " ms later than its budget of "
          + operationTimeoutMillis + " ms: clients may switch up to that much apart");
    }
    sleepUntil(record.switchAtMillis() + guardMillis);
  }

  /** Reads the record again unless another thread just did; waits for it only once the lease ran out. */
  private State refreshed(State s) {
    boolean expired = s == null || System.nanoTime() - s.readAtNanos >= leaseNanos;
    if (expired) {
      reading.lock();
    } else if (!reading.tryLock()) {
      return s;
    }
    try {
      State current = state;
      if (current != s && current != null) {
        return current;
      }
      State fresh = readOrKeep(s);
      state = fresh;
      return fresh;
    } finally {
      reading.unlock();
    }
  }

  /**
   * With {@code whenUnreachable=miss}, a record that cannot be read leaves this client on the
   * generation it knew, or on one of its own until the record is read (reads miss, writes are lost,
   * as the setting says of an unreachable cluster); otherwise the operation fails.
   */
  private State readOrKeep(State known) {
    try {
      return read();
    } catch (NodeUnavailableException e) {
      if (!missMode) {
        throw e;
      }
      LOG.fine(() -> "generation record unreachable; using the generation known: " + e.getMessage());
      long now = System.currentTimeMillis();
      return new State(known == null ? GenerationRecord.fresh(now) : known.record, System.nanoTime(), names);
    }
  }

  private State read() {
    long readAt = System.nanoTime();
    EntryUpdater.Committed<String, GenerationRecord> c = updater.update(recordKey, cur -> {
      GenerationRecord r = recordOf(cur);
      if (r != null) {
        return Decision.none(r);
      }
      GenerationRecord fresh = GenerationRecord.fresh(cur.now());
      return Decision.put(codec.encodeValue(fresh.format()), Envelope.ETERNAL, fresh);
    });
    return new State(c.result(), readAt, names);
  }

  /** The record an entry holds, or null when there is none or it is not a valid one (then replaced). */
  private GenerationRecord recordOf(Current<String> cur) {
    if (!cur.present()) {
      return null;
    }
    String text = codec.value(cur.envelope());
    GenerationRecord r = GenerationRecord.parse(text);
    if (r == null) {
      LOG.warning(() -> "generation record " + recordKey.memcachedKey() + " is not valid ("
          + text.length() + " chars); replaced by a new generation");
    }
    return r;
  }

  private static void sleepUntil(long wallMillis) {
    long wait = wallMillis - System.currentTimeMillis();
    if (wait <= 0) {
      return;
    }
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("interrupted while waiting for a cache's generation switch", e);
    }
  }

  /** A record as read, with the key codecs of its two generations. */
  private static final class State {

    final GenerationRecord record;
    final long readAtNanos;
    final KeyCodec previous;
    final KeyCodec current;

    State(GenerationRecord record, long readAtNanos, KeyCodec names) {
      this.record = record;
      this.readAtNanos = readAtNanos;
      this.previous = names.generation(record.previous());
      this.current = names.generation(record.generation());
    }

    KeyCodec keysAt(long nowMillis, long guardMillis) {
      long switchAt = record.switchAtMillis();
      if (nowMillis >= switchAt + guardMillis) {
        return current;
      }
      if (nowMillis < switchAt - guardMillis) {
        return previous;
      }
      sleepUntil(switchAt + guardMillis);
      return current;
    }
  }
}
