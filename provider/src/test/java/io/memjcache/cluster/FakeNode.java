package io.memjcache.cluster;

import io.memjcache.cluster.NodeScript.Op;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A memcached node in memory, for tests that replay a race step by step: items with flags, CAS ids
 * (one counter per node, as memcached's) and expiry, answering as memcached's binary protocol does
 * (add on a present key and cas on a changed one conflict, cas and delete-with-cas on an absent key
 * find nothing; {@link FakeItems}), with the faults of its {@link NodeScript} (an operation that
 * hangs, one applied whose reply is lost, a CAS conflict at a chosen step), {@link #flush} (items
 * and membership mark lost) and three states of its own: killed (every operation fails with no
 * connection, and its port refuses connections: evidence), killed unnoticed (its port refuses
 * connections, but the client's connection has not seen it close, so every operation waits out its
 * timeout, as spymemcached's does) and restarted (empty, as a flush leaves it).
 *
 * <p>A repair's key listing ({@link #keys}) answers at once from memory. Not modelled, and refused
 * with an exception naming this class: the streamed listing ({@code lru_crawler metadump}, {@link
 * #dumpKeys}), so no iteration or drop of leftovers runs on fake nodes. Connection-loss callbacks are not made:
 * a killed node is noticed by the next operation sent to it, so that the verdict is reached on the
 * test's own thread.
 */
final class FakeNode implements Node {

  private final ServerAddress server;
  private final int entryFlags;
  private final FakeItems items = new FakeItems();
  private final NodeScript script = new NodeScript(this);
  private final AtomicInteger timeoutsInARow = new AtomicInteger();
  private final List<Applied> applied = new ArrayList<>();
  private volatile boolean killed;
  /** While killed unnoticed: how long each operation waits before it times out (0: not so killed). */
  private volatile long unnoticedWaitMillis;

  /** A node at {@code server} (never connected to) that stores entries with {@code entryFlags}. */
  FakeNode(ServerAddress server, int entryFlags) {
    this.server = server;
    this.entryFlags = entryFlags;
  }

  NodeScript script() {
    return script;
  }

  /** Stops the server: nothing answers, the port refuses connections. */
  void kill() {
    killed = true;
  }

  /**
   * Stops the server without the client's connection noticing: its port refuses connections, and
   * every operation sent on the old connection waits {@code waitMillis} (an operation timeout), then
   * times out.
   */
  void killUnnoticed(long waitMillis) {
    unnoticedWaitMillis = waitMillis;
  }

  /** Starts the server again, empty. */
  synchronized void restart() {
    items.clear();
    killed = false;
    unnoticedWaitMillis = 0;
  }

  /** Gives the item a new CAS id, as another client's write of the same bytes would. */
  synchronized void touch(String key) {
    items.touch(key);
  }

  @Override
  public ServerAddress server() {
    return server;
  }

  @Override
  public StoredItem get(String key) {
    return run(Op.GET, key, () -> withoutCas(items.get(key, server)));
  }

  @Override
  public StoredItem gets(String key) {
    return run(Op.GETS, key, () -> items.get(key, server));
  }

  @Override
  public Pending<StoredItem> getsAsync(String key) {
    return pending(() -> gets(key));
  }

  @Override
  public Pending<Map<String, StoredItem>> getAllAsync(Collection<String> keys) {
    return pending(() -> run(Op.MULTI_GET, keys, () -> {
      Map<String, StoredItem> found = new HashMap<>();
      keys.forEach(key -> {
        StoredItem item = withoutCas(items.get(key, server));
        if (item != null) {
          found.put(key, item);
        }
      });
      return found;
    }));
  }

  @Override
  public Pending<WriteOutcome> setAsync(String key, int exptime, byte[] bytes) {
    return pending(() -> run(Op.SET, key, () -> {
      items.set(key, entryFlags, bytes, exptime);
      return WriteOutcome.APPLIED;
    }));
  }

  @Override
  public WriteOutcome add(String key, int exptime, byte[] bytes) {
    return run(Op.ADD, key, () -> add(key, entryFlags, bytes, exptime) ? WriteOutcome.APPLIED : WriteOutcome.CONFLICT);
  }

  @Override
  public WriteOutcome cas(String key, long cas, int exptime, byte[] bytes) {
    return run(Op.CAS, key, () -> items.replace(key, cas, entryFlags, bytes, exptime));
  }

  @Override
  public long tombstone(String key, long cas, int exptime) {
    return run(Op.TOMBSTONE, key, () -> items.replace(key, cas, StoredItem.TOMBSTONE_FLAGS, new byte[0], exptime)
        == WriteOutcome.APPLIED ? items.lastCas() : -1);
  }

  @Override
  public StoredItem claim(String key, int exptime) {
    return run(Op.CLAIM, key, () -> add(key, StoredItem.COPY_CLAIM_FLAGS, new byte[0], exptime)
        ? items.get(key, server) : null);
  }

  @Override
  public long setTombstone(String key, int exptime) {
    return run(Op.SET_TOMBSTONE, key, () -> items.set(key, StoredItem.TOMBSTONE_FLAGS, new byte[0], exptime));
  }

  @Override
  public Pending<Boolean> deleteAsync(String key) {
    return pending(() -> run(Op.DELETE, key, () -> items.delete(key)));
  }

  @Override
  public WriteOutcome delete(String key, long cas) {
    return run(Op.DELETE_CAS, key, () -> items.delete(key, cas));
  }

  @Override
  public List<String> keys(String prefix) {
    return run(Op.LIST, List.of(), () -> items.keys(prefix));
  }

  @Override
  public NodeKeyDump dumpKeys(Predicate<String> wanted, int capacity, LongAdder listed) {
    throw unsupportedListing();
  }

  @Override
  public void checkListable() {
    throw unsupportedListing();
  }

  @Override
  public void flush() {
    run(Op.FLUSH, List.of(), () -> {
      items.clear();
      return null;
    });
  }

  @Override
  public boolean addRecord(String key, byte[] bytes) {
    return run(Op.ADD, key, () -> add(key, 0, bytes, 0));
  }

  @Override
  public void setRecord(String key, int ttlSeconds, byte[] bytes) {
    run(Op.SET, key, () -> items.set(key, 0, bytes, ttlSeconds));
  }

  @Override
  public boolean casRecord(String key, long cas, byte[] bytes) {
    return run(Op.CAS, key, () -> items.replace(key, cas, 0, bytes, 0) == WriteOutcome.APPLIED);
  }

  @Override
  public void awaitConnection() {}

  @Override
  public void readItemSizeMax() {}

  @Override
  public void onConnectionLost(Runnable onLost) {}

  @Override
  public boolean refusesConnections() {
    return killed || unnoticedWaitMillis > 0;
  }

  @Override
  public int timedOutAgain() {
    return timeoutsInARow.incrementAndGet();
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "fake node " + server;
  }

  /** The exception of an operation that timed out, as NodeClient reports one. */
  NodeUnavailableException timeout(Op op) {
    return new NodeUnavailableException("fake memcached " + server + " did not answer a " + op,
        NodeUnavailableException.Kind.TIMEOUT, null, server);
  }

  /** The operations this node applied on {@code key}, in order, since the last call. */
  synchronized List<Op> appliedOn(String key) {
    List<Op> ops = applied.stream().filter(a -> a.keys().contains(key)).map(Applied::op).toList();
    applied.clear();
    return ops;
  }

  /** How many {@code op}s this node applied on {@code key} since the last {@link #appliedOn}. */
  synchronized long countApplied(Op op, String key) {
    return applied.stream().filter(a -> a.op() == op && a.keys().contains(key)).count();
  }

  private record Applied(Op op, Collection<String> keys) {}

  private <T> T run(Op op, String key, Supplier<T> apply) {
    return run(op, List.of(key), apply);
  }

  /** One operation: the node's state, the script's step before, the change, the step after. */
  private <T> T run(Op op, Collection<String> keys, Supplier<T> apply) {
    if (killed) {
      throw new NodeUnavailableException("fake memcached " + server + " is unreachable (" + op + ")",
          NodeUnavailableException.Kind.NO_CONNECTION, null, server);
    }
    long wait = unnoticedWaitMillis;
    if (wait > 0) {
      waitOut(wait);
      throw timeout(op);
    }
    script.fire(op, keys, false);
    T result;
    synchronized (this) {
      result = apply.get();
      applied.add(new Applied(op, keys));
    }
    script.fire(op, keys, true);
    timeoutsInARow.set(0);
    return result;
  }

  private static void waitOut(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** An operation the pipelined paths await later: sent (and applied) now, its outcome or failure kept. */
  private static <T> Pending<T> pending(Supplier<T> send) {
    RuntimeException failure = null;
    T result = null;
    try {
      result = send.get();
    } catch (NodeUnavailableException e) {
      failure = e;
    }
    RuntimeException thrown = failure;
    T outcome = result;
    return new Pending<>() {
      @Override
      public T await() {
        if (thrown != null) {
          throw thrown;
        }
        return outcome;
      }

      @Override
      public boolean isDone() {
        return true;
      }

      @Override
      public void cancel() {}
    };
  }

  /** memcached's add: stores only where the key is absent. */
  private boolean add(String key, int flags, byte[] bytes, int exptime) {
    if (items.contains(key)) {
      return false;
    }
    items.set(key, flags, bytes, exptime);
    return true;
  }

  /** A get's answer: memcached's get returns no CAS id, and NodeClient's names no source. */
  private static StoredItem withoutCas(StoredItem item) {
    return item == null ? null : new StoredItem(item.flags(), item.bytes(), 0L);
  }

  private static UnsupportedOperationException unsupportedListing() {
    return new UnsupportedOperationException("FakeNode does not stream its keys (lru_crawler metadump):"
        + " iteration and dropping leftovers need real memcached");
  }
}
