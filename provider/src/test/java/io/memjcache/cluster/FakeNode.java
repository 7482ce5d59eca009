package io.memjcache.cluster;

import io.memjcache.cluster.NodeScript.Op;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A memcached node in memory, for tests that replay a race step by step: items with flags, CAS ids
 * (one counter per node, as memcached's) and expiry, answering as memcached's binary protocol does
 * (add on a present key and cas on a changed one conflict, cas and delete-with-cas on an absent key
 * find nothing), with the faults of its {@link NodeScript} and three states of its own: killed
 * (every operation fails with no connection, and its port refuses connections: evidence), restarted
 * (empty, marks included, as a flush leaves it) and hanging (every operation times out).
 *
 * <p>Not modelled, and refused with an exception naming this class: key listing ({@code lru_crawler
 * metadump}), so no repair or iteration runs on fake nodes. Connection-loss callbacks are not made:
 * a killed node is noticed by the next operation sent to it, so that the verdict is reached on the
 * test's own thread.
 */
final class FakeNode implements Node {

  /** Beyond this many seconds an exptime is an absolute Unix time (memcached protocol.txt). */
  private static final int RELATIVE_EXPTIME_LIMIT = 60 * 60 * 24 * 30;

  private record Item(int flags, byte[] bytes, long cas, long expiresAtMillis) {}

  private final ServerAddress server;
  private final int entryFlags;
  private final Map<String, Item> items = new HashMap<>();
  private final NodeScript script = new NodeScript(this);
  private final AtomicInteger timeoutsInARow = new AtomicInteger();
  private long lastCas;
  private volatile boolean killed;
  private volatile boolean hanging;

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

  /** Starts the server again, empty. */
  synchronized void restart() {
    items.clear();
    killed = false;
  }

  /** Every operation from now on times out (or answers again, {@code false}). */
  void hang(boolean on) {
    hanging = on;
  }

  /** Gives the item a new CAS id, as another client's write of the same bytes would. */
  synchronized void touch(String key) {
    Item item = live(key);
    if (item != null) {
      items.put(key, new Item(item.flags(), item.bytes(), ++lastCas, item.expiresAtMillis()));
    }
  }

  @Override
  public ServerAddress server() {
    return server;
  }

  @Override
  public StoredItem get(String key) {
    return run(Op.GET, key, () -> {
      Item item = live(key);
      return item == null ? null : new StoredItem(item.flags(), item.bytes(), 0L);
    });
  }

  @Override
  public StoredItem gets(String key) {
    return run(Op.GETS, key, () -> itemOf(live(key)));
  }

  @Override
  public Pending<Map<String, StoredItem>> getAllAsync(Collection<String> keys) {
    return pending(() -> run(Op.MULTI_GET, keys, () -> {
      Map<String, StoredItem> found = new HashMap<>();
      keys.forEach(key -> {
        Item item = live(key);
        if (item != null) {
          found.put(key, new StoredItem(item.flags(), item.bytes(), 0L));
        }
      });
      return found;
    }));
  }

  @Override
  public Pending<WriteOutcome> setAsync(String key, int exptime, byte[] bytes) {
    return pending(() -> run(Op.SET, key, () -> store(key, entryFlags, bytes, exptime)));
  }

  @Override
  public WriteOutcome add(String key, int exptime, byte[] bytes) {
    return run(Op.ADD, key, () -> live(key) != null
        ? WriteOutcome.CONFLICT
        : store(key, entryFlags, bytes, exptime));
  }

  @Override
  public WriteOutcome cas(String key, long cas, int exptime, byte[] bytes) {
    return run(Op.CAS, key, () -> replace(key, cas, entryFlags, bytes, exptime));
  }

  @Override
  public long tombstone(String key, long cas, int exptime) {
    return run(Op.TOMBSTONE, key, () -> replace(key, cas, StoredItem.TOMBSTONE_FLAGS, new byte[0], exptime)
        == WriteOutcome.APPLIED ? lastCas : -1);
  }

  @Override
  public StoredItem claim(String key, int exptime) {
    return run(Op.CLAIM, key, () -> {
      if (live(key) != null) {
        return null;
      }
      store(key, StoredItem.COPY_CLAIM_FLAGS, new byte[0], exptime);
      return itemOf(live(key));
    });
  }

  @Override
  public long setTombstone(String key, int exptime) {
    return run(Op.SET_TOMBSTONE, key, () -> {
      store(key, StoredItem.TOMBSTONE_FLAGS, new byte[0], exptime);
      return lastCas;
    });
  }

  @Override
  public Pending<Boolean> deleteAsync(String key) {
    return pending(() -> run(Op.DELETE, key, () -> live(key) != null && items.remove(key) != null));
  }

  @Override
  public WriteOutcome delete(String key, long cas) {
    return run(Op.DELETE_CAS, key, () -> {
      Item item = live(key);
      if (item == null) {
        return WriteOutcome.NOT_FOUND;
      }
      if (item.cas() != cas) {
        return WriteOutcome.CONFLICT;
      }
      items.remove(key);
      return WriteOutcome.APPLIED;
    });
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
    return run(Op.ADD, key, () -> live(key) == null && store(key, 0, bytes, 0) == WriteOutcome.APPLIED);
  }

  @Override
  public void setRecord(String key, int ttlSeconds, byte[] bytes) {
    run(Op.SET, key, () -> store(key, 0, bytes, ttlSeconds));
  }

  @Override
  public boolean casRecord(String key, long cas, byte[] bytes) {
    return run(Op.CAS, key, () -> replace(key, cas, 0, bytes, 0) == WriteOutcome.APPLIED);
  }

  @Override
  public void awaitConnection() {}

  @Override
  public void readItemSizeMax() {}

  @Override
  public void onConnectionLost(Runnable onLost) {}

  @Override
  public boolean refusesConnections() {
    return killed;
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

  private <T> T run(Op op, String key, Supplier<T> apply) {
    return run(op, List.of(key), apply);
  }

  /** One operation: the node's state, the script's step before, the change, the step after. */
  private <T> T run(Op op, Collection<String> keys, Supplier<T> apply) {
    if (killed) {
      throw new NodeUnavailableException("fake memcached " + server + " is unreachable (" + op + ")",
          NodeUnavailableException.Kind.NO_CONNECTION, null, server);
    }
    if (hanging) {
      throw timeout(op);
    }
    script.fire(op, keys, false);
    T result;
    synchronized (this) {
      result = apply.get();
    }
    script.fire(op, keys, true);
    timeoutsInARow.set(0);
    return result;
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

  private Item live(String key) {
    Item item = items.get(key);
    if (item != null && item.expiresAtMillis() <= System.currentTimeMillis()) {
      items.remove(key);
      return null;
    }
    return item;
  }

  private StoredItem itemOf(Item item) {
    return item == null ? null : new StoredItem(item.flags(), item.bytes(), item.cas(), server);
  }

  private WriteOutcome store(String key, int flags, byte[] bytes, int exptime) {
    items.put(key, new Item(flags, bytes.clone(), ++lastCas, expiresAt(exptime)));
    return WriteOutcome.APPLIED;
  }

  private WriteOutcome replace(String key, long cas, int flags, byte[] bytes, int exptime) {
    Item item = live(key);
    if (item == null) {
      return WriteOutcome.NOT_FOUND;
    }
    return item.cas() != cas ? WriteOutcome.CONFLICT : store(key, flags, bytes, exptime);
  }

  /** memcached's exptime: 0 never, up to 30 days relative, beyond an absolute Unix time. */
  private static long expiresAt(int exptime) {
    if (exptime == 0) {
      return Long.MAX_VALUE;
    }
    long now = System.currentTimeMillis();
    return exptime <= RELATIVE_EXPTIME_LIMIT ? now + TimeUnit.SECONDS.toMillis(exptime)
        : TimeUnit.SECONDS.toMillis(exptime);
  }

  private static UnsupportedOperationException unsupportedListing() {
    return new UnsupportedOperationException("FakeNode does not list keys (lru_crawler metadump):"
        + " repairs and iteration need real memcached");
  }
}
