package io.memjcache.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * What the cluster asks of one memcached node, in this package's types: {@link Node} sends it
 * over spymemcached, a test may answer it from memory.
 *
 * <p>Every operation either returns memcached's answer or throws: a {@link
 * NodeUnavailableException} when the node did not answer (a timeout, a lost connection; the
 * operation may or may not have been applied), a {@code CacheException} for anything else. A
 * conditional write that memcached did not apply is a {@link WriteOutcome}, not an exception.
 * Items read with a CAS id name this node as their {@link StoredItem#source()}.
 */
interface Node extends AutoCloseable {

  ServerAddress server();

  StoredItem get(String key);

  /** Reads an item with its CAS id. */
  StoredItem gets(String key);

  /** Sends a read with the CAS id; the pending item is null for a miss. */
  Pending<StoredItem> getsAsync(String key);

  /** Sends a multi-get; the pending map holds the keys found. */
  Pending<Map<String, StoredItem>> getAllAsync(Collection<String> keys);

  /** Reads several items in one multi-get. */
  default Map<String, StoredItem> getMulti(Collection<String> keys) {
    return getAllAsync(keys).await();
  }

  /** Sends a set of an entry; the pending outcome is {@link WriteOutcome#APPLIED} or a failure. */
  Pending<WriteOutcome> setAsync(String key, int exptime, byte[] bytes);

  WriteOutcome add(String key, int exptime, byte[] bytes);

  WriteOutcome cas(String key, long cas, int exptime, byte[] bytes);

  /**
   * Replaces the item with a tombstone if it still has CAS id {@code cas}; returns the tombstone's
   * CAS id, or -1 if the item changed or is gone.
   */
  long tombstone(String key, long cas, int exptime);

  /**
   * Puts a copy claim (see {@link StoredItem#COPY_CLAIM_FLAGS}) where the key is absent; returns it
   * with its CAS id, or null if the node holds the key now.
   */
  StoredItem claim(String key, int exptime);

  /** Replaces whatever the node holds for the key by a tombstone; returns the tombstone's CAS id. */
  long setTombstone(String key, int exptime);

  /** Sends a delete; the pending outcome says if the node held the key. */
  Pending<Boolean> deleteAsync(String key);

  /** Deletes the key; returns if the node held it. */
  default boolean delete(String key) {
    return deleteAsync(key).await();
  }

  /** Deletes the key if it still has CAS id {@code cas}. */
  WriteOutcome delete(String key, long cas);

  /** Returns every key on this node that starts with {@code prefix} (for the repair). */
  default List<String> keys(String prefix) {
    List<String> keys = new ArrayList<>();
    try (NodeKeyDump dump = dumpKeys(key -> key.startsWith(prefix), Integer.MAX_VALUE, new LongAdder())) {
      for (String key = dump.next(); key != null; key = dump.next()) {
        keys.add(key);
      }
    }
    return keys;
  }

  /**
   * Opens the dump of this node's keys, handing out those {@code wanted}, at most {@code capacity}
   * queued (see {@link KeyLister}); every key read is counted in {@code listed}.
   */
  NodeKeyDump dumpKeys(Predicate<String> wanted, int capacity, LongAdder listed);

  /** Throws unless this node's keys can be listed: before a listing starts, so nothing is half done. */
  void checkListable();

  /** Empties the node, its membership mark included. */
  void flush();

  /** Answers if the node responds at all (a get of an unlikely key). */
  default void ping() {
    get("memjcache:ping");
  }

  /** Adds one of the cluster's own records (see {@link NodeRecords}) unless the key is taken. */
  boolean addRecord(String key, byte[] bytes);

  /** Sets one of the cluster's own records for {@code ttlSeconds}. */
  void setRecord(String key, int ttlSeconds, byte[] bytes);

  /** Replaces one of the cluster's own records if it still has CAS id {@code cas}. */
  boolean casRecord(String key, long cas, byte[] bytes);

  /** Waits, at most one operation timeout, for the connection to be up; a node that is down stays down. */
  void awaitConnection();

  /** Learns the server's item size limit again: a restarted server may run with another {@code -I}. */
  void readItemSizeMax();

  /** Calls {@code onLost} whenever the connection drops (a killed or restarted server). */
  void onConnectionLost(Runnable onLost);

  /**
   * Returns if nothing listens on the server's port: a refused connection shows the server is gone,
   * where a timeout shows nothing.
   */
  boolean refusesConnections();

  /** Counts one more operation in a row that timed out; returns how many there were. */
  int timedOutAgain();

  @Override
  void close();
}
