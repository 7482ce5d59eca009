package io.memjcache.cluster;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.internal.BulkFuture;
import net.spy.memcached.internal.OperationFuture;
import net.spy.memcached.transcoders.Transcoder;

/**
 * The binary-protocol connection to one memcached server: the only class that sends operations
 * through spymemcached ({@link SpyConnections} opens the client, {@link SpyResults} reads the
 * outcomes).
 *
 * <p>Each node has its own spymemcached client over a one-server list, so spymemcached never picks a
 * node: placement is {@link KetamaRing}'s. Entries are written with the {@link ItemFormat}'s flags;
 * the markers of replication (tombstones, copy claims) and the cluster's own records
 * ({@link NodeRecords}) with flags of their own.
 */
final class NodeClient implements AutoCloseable {

  private final ServerAddress server;
  private final MemcachedClient client;
  private final Transcoder<byte[]> writer;
  private final Transcoder<byte[]> tombstones = ItemTranscoder.write(StoredItem.TOMBSTONE_FLAGS);
  private final Transcoder<byte[]> claims = ItemTranscoder.write(StoredItem.COPY_CLAIM_FLAGS);
  private final Transcoder<byte[]> records = ItemTranscoder.write(0);
  private final long timeoutMillis;
  private final KeyLister lister;
  private final SaslCredentials credentials;
  private final ItemSizeLimit sizeLimit;
  private final SpyResults results;

  NodeClient(ServerAddress server, long timeoutMillis, int flags, SaslCredentials credentials) {
    this.server = server;
    this.timeoutMillis = timeoutMillis;
    this.results = new SpyResults(server, timeoutMillis);
    this.writer = ItemTranscoder.write(flags);
    this.lister = new KeyLister(server, timeoutMillis);
    this.credentials = credentials;
    this.client = SpyConnections.open(server, timeoutMillis, credentials);
    this.sizeLimit = new ItemSizeLimit(server);
    awaitConnection();
    readItemSizeMax();
  }

  /** Learns the server's item size limit again: a restarted server may run with another {@code -I}. */
  void readItemSizeMax() {
    sizeLimit.learn(client);
  }

  /**
   * spymemcached connects in the background, and with {@link FailureMode#Cancel} an operation sent
   * before the connection is up is cancelled; so wait for it, at most one operation timeout. A
   * server that is down stays down for now: its operations fail fast.
   */
  void awaitConnection() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (client.getAvailableServers().isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  ServerAddress server() {
    return server;
  }

  StoredItem get(String key) {
    return results.await(client.asyncGet(key, ItemTranscoder.READ), "get");
  }

  StoredItem gets(String key) {
    OperationFuture<CASValue<StoredItem>> f = client.asyncGets(key, ItemTranscoder.READ);
    CASValue<StoredItem> value = results.await(f, "gets");
    return value == null ? null : value.getValue().withCas(value.getCas(), server);
  }

  BulkFuture<Map<String, StoredItem>> getAllAsync(Collection<String> keys) {
    return client.asyncGetBulk(keys, ItemTranscoder.READ);
  }

  Map<String, StoredItem> awaitAll(BulkFuture<Map<String, StoredItem>> future) {
    return results.await(future, "multi-get");
  }

  OperationFuture<Boolean> setAsync(String key, int exptime, byte[] bytes) {
    sizeLimit.check(key, bytes);
    return client.set(key, exptime, bytes, writer);
  }

  void awaitSet(OperationFuture<Boolean> future) {
    if (!results.await(future, "set")) {
      throw results.failure("set", future.getStatus());
    }
  }

  WriteOutcome add(String key, int exptime, byte[] bytes) {
    sizeLimit.check(key, bytes);
    OperationFuture<Boolean> f = client.add(key, exptime, bytes, writer);
    return results.await(f, "add") ? WriteOutcome.APPLIED : results.conditionalFailure("add", f.getStatus());
  }

  WriteOutcome cas(String key, long cas, int exptime, byte[] bytes) {
    sizeLimit.check(key, bytes);
    OperationFuture<CASResponse> f = client.asyncCAS(key, cas, exptime, bytes, writer);
    CASResponse response = results.await(f, "cas");
    if (response == CASResponse.OK) {
      return WriteOutcome.APPLIED;
    }
    return results.conditionalFailure("cas", f.getStatus());
  }

  /**
   * Replaces the item with a tombstone if it still has CAS id {@code cas}; returns the tombstone's
   * CAS id, or -1 if the item changed or is gone.
   */
  long tombstone(String key, long cas, int exptime) {
    OperationFuture<CASResponse> f =
        client.asyncCAS(key, cas, exptime, new byte[0], tombstones);
    if (results.await(f, "cas") == CASResponse.OK) {
      Long newCas = f.getCas();
      return newCas == null ? 0 : newCas;
    }
    results.conditionalFailure("cas", f.getStatus());
    return -1;
  }

  /**
   * Puts a copy claim (see {@link StoredItem#COPY_CLAIM_FLAGS}) where the key is absent; returns it
   * with its CAS id, or null if the node holds the key now.
   */
  StoredItem claim(String key, int exptime) {
    OperationFuture<Boolean> f = client.add(key, exptime, new byte[0], claims);
    if (!results.await(f, "add")) {
      results.conditionalFailure("add", f.getStatus());
      return null;
    }
    Long cas = f.getCas();
    return new StoredItem(StoredItem.COPY_CLAIM_FLAGS, new byte[0], cas == null ? 0 : cas, server);
  }

  /** Replaces whatever the node holds for the key by a tombstone; returns the tombstone's CAS id. */
  long setTombstone(String key, int exptime) {
    OperationFuture<Boolean> f = client.set(key, exptime, new byte[0], tombstones);
    awaitSet(f);
    Long cas = f.getCas();
    return cas == null ? 0 : cas;
  }

  OperationFuture<Boolean> deleteAsync(String key) {
    return client.delete(key);
  }

  boolean awaitDelete(OperationFuture<Boolean> future) {
    return results.await(future, "delete") || results.conditionalFailure("delete", future.getStatus()) == WriteOutcome.APPLIED;
  }

  boolean delete(String key) {
    return awaitDelete(deleteAsync(key));
  }

  WriteOutcome delete(String key, long cas) {
    OperationFuture<Boolean> f = client.delete(key, cas);
    return results.await(f, "delete") ? WriteOutcome.APPLIED : results.conditionalFailure("delete", f.getStatus());
  }

  /** Returns every key on this node that starts with {@code prefix} (for the repair). */
  List<String> keys(String prefix) {
    List<String> keys = new java.util.ArrayList<>();
    try (NodeKeyDump dump = dumpKeys(key -> key.startsWith(prefix), Integer.MAX_VALUE,
        new java.util.concurrent.atomic.LongAdder())) {
      for (String key = dump.next(); key != null; key = dump.next()) {
        keys.add(key);
      }
    }
    return keys;
  }

  /**
   * Opens the dump of this node's keys, handing out those {@code wanted}, at most
   * {@code capacity} queued (see {@link KeyLister}); every key read is counted
   * in {@code listed}.
   */
  NodeKeyDump dumpKeys(java.util.function.Predicate<String> wanted, int capacity,
      java.util.concurrent.atomic.LongAdder listed) {
    checkListable();
    return lister.open(wanted, capacity, listed);
  }

  /** Throws unless this node's keys can be listed: before a listing starts, so nothing is half done. */
  void checkListable() {
    if (credentials.isSet()) {
      // memcached -S speaks only the binary protocol; lru_crawler metadump is a text command
      throw new UnsupportedOperationException("cannot list the keys of memcached " + server
          + ": with SASL (memjcache.username) the server speaks only the binary protocol, which has"
          + " no key listing; iterator(), clear(), removeAll() and destroyCache() need the text"
          + " protocol's lru_crawler metadump");
    }
  }

  /** Empties the node, its membership mark included. */
  void flush() {
    OperationFuture<Boolean> f = client.flush();
    if (!results.await(f, "flush_all")) {
      throw results.failure("flush_all", f.getStatus());
    }
  }

  /** Answers if the node responds at all (a get of an unlikely key). */
  void ping() {
    get("memjcache:ping");
  }

  /**
   * Calls {@code onLost} whenever the connection drops: a killed or restarted server is then
   * noticed at once, also by a client that has no operation for it.
   */
  void onConnectionLost(Runnable onLost) {
    client.addObserver(new net.spy.memcached.ConnectionObserver() {
      @Override
      public void connectionEstablished(java.net.SocketAddress address, int reconnects) {}

      @Override
      public void connectionLost(java.net.SocketAddress address) {
        onLost.run();
      }
    });
  }

  /** Reads several items in one multi-get. */
  Map<String, StoredItem> getMulti(Collection<String> keys) {
    return awaitAll(getAllAsync(keys));
  }

  /** Adds one of the cluster's own records (see {@link NodeRecords}) unless the key is taken. */
  boolean addRecord(String key, byte[] bytes) {
    OperationFuture<Boolean> f = client.add(key, 0, bytes, records);
    return results.await(f, "add") || results.conditionalFailure("add", f.getStatus()) == WriteOutcome.APPLIED;
  }

  /** Sets one of the cluster's own records for {@code ttlSeconds}. */
  void setRecord(String key, int ttlSeconds, byte[] bytes) {
    awaitSet(client.set(key, ttlSeconds, bytes, records));
  }

  /** Replaces one of the cluster's own records if it still has CAS id {@code cas}. */
  boolean casRecord(String key, long cas, byte[] bytes) {
    return results.await(client.asyncCAS(key, cas, 0, bytes, records), "cas") == CASResponse.OK;
  }

  /**
   * Returns if nothing listens on the server's port: a refused connection shows the server is gone,
   * where a timeout shows nothing (the server, the network or this client may be slow).
   */
  boolean refusesConnections() {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(server.socketAddress(), (int) Math.min(Integer.MAX_VALUE, timeoutMillis));
      return false;
    } catch (java.net.ConnectException refused) {
      return true;
    } catch (IOException other) {
      return false;
    }
  }

  @Override
  public void close() {
    client.shutdown(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** Counts one more operation in a row that timed out; returns how many there were. */
  int timedOutAgain() {
    return results.timedOutAgain();
  }

  @Override
  public String toString() {
    return "node " + server;
  }
}
