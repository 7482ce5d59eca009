package io.memjcache.cluster;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;
import net.spy.memcached.ConnectionObserver;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.internal.BulkFuture;
import net.spy.memcached.internal.OperationFuture;
import net.spy.memcached.transcoders.Transcoder;

/**
 * The binary-protocol connection to one memcached server, the {@link Node} the cluster uses: the
 * only class that sends operations through spymemcached ({@link SpyConnections} opens the client,
 * {@link SpyResults} reads the outcomes, {@link SpyPending} holds a pipelined one until awaited).
 *
 * <p>Each node has its own spymemcached client over a one-server list, so spymemcached never picks a
 * node: placement is {@link KetamaRing}'s. Entries are written with the {@link ItemFormat}'s flags;
 * the markers of replication (tombstones, copy claims) and the cluster's own records
 * ({@link NodeRecords}) with flags of their own.
 */
final class NodeClient implements Node {

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

  @Override
  public void readItemSizeMax() {
    sizeLimit.learn(client);
  }

  /**
   * spymemcached connects in the background, and with {@link FailureMode#Cancel} an operation sent
   * before the connection is up is cancelled; so wait for it, at most one operation timeout. A
   * server that is down stays down for now: its operations fail fast.
   */
  @Override
  public void awaitConnection() {
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

  @Override
  public ServerAddress server() {
    return server;
  }

  @Override
  public StoredItem get(String key) {
    return results.await(client.asyncGet(key, ItemTranscoder.READ), "get");
  }

  @Override
  public StoredItem gets(String key) {
    return getsAsync(key).await();
  }

  @Override
  public Pending<StoredItem> getsAsync(String key) {
    OperationFuture<CASValue<StoredItem>> f = client.asyncGets(key, ItemTranscoder.READ);
    return new SpyPending<>(f, () -> {
      CASValue<StoredItem> value = results.await(f, "gets");
      return value == null ? null : value.getValue().withCas(value.getCas(), server);
    });
  }

  @Override
  public Pending<Map<String, StoredItem>> getAllAsync(Collection<String> keys) {
    BulkFuture<Map<String, StoredItem>> f = client.asyncGetBulk(keys, ItemTranscoder.READ);
    return new SpyPending<>(f, () -> results.await(f, "multi-get"));
  }

  @Override
  public Pending<WriteOutcome> setAsync(String key, int exptime, byte[] bytes) {
    sizeLimit.check(key, bytes);
    OperationFuture<Boolean> f = client.set(key, exptime, bytes, writer);
    return new SpyPending<>(f, () -> awaitSet(f));
  }

  private WriteOutcome awaitSet(OperationFuture<Boolean> future) {
    if (!results.await(future, "set")) {
      throw results.failure("set", future.getStatus());
    }
    return WriteOutcome.APPLIED;
  }

  @Override
  public WriteOutcome add(String key, int exptime, byte[] bytes) {
    sizeLimit.check(key, bytes);
    OperationFuture<Boolean> f = client.add(key, exptime, bytes, writer);
    return results.await(f, "add") ? WriteOutcome.APPLIED : results.conditionalFailure("add", f.getStatus());
  }

  @Override
  public WriteOutcome cas(String key, long cas, int exptime, byte[] bytes) {
    sizeLimit.check(key, bytes);
    OperationFuture<CASResponse> f = client.asyncCAS(key, cas, exptime, bytes, writer);
    CASResponse response = results.await(f, "cas");
    if (response == CASResponse.OK) {
      return WriteOutcome.APPLIED;
    }
    return results.conditionalFailure("cas", f.getStatus());
  }

  @Override
  public long tombstone(String key, long cas, int exptime) {
    OperationFuture<CASResponse> f =
        client.asyncCAS(key, cas, exptime, new byte[0], tombstones);
    if (results.await(f, "cas") == CASResponse.OK) {
      Long newCas = f.getCas();
      return newCas == null ? 0 : newCas;
    }
    results.conditionalFailure("cas", f.getStatus());
    return -1;
  }

  @Override
  public StoredItem claim(String key, int exptime) {
    OperationFuture<Boolean> f = client.add(key, exptime, new byte[0], claims);
    if (!results.await(f, "add")) {
      results.conditionalFailure("add", f.getStatus());
      return null;
    }
    Long cas = f.getCas();
    return new StoredItem(StoredItem.COPY_CLAIM_FLAGS, new byte[0], cas == null ? 0 : cas, server);
  }

  @Override
  public long setTombstone(String key, int exptime) {
    OperationFuture<Boolean> f = client.set(key, exptime, new byte[0], tombstones);
    awaitSet(f);
    Long cas = f.getCas();
    return cas == null ? 0 : cas;
  }

  @Override
  public Pending<Boolean> deleteAsync(String key) {
    OperationFuture<Boolean> f = client.delete(key);
    return new SpyPending<>(f, () -> results.await(f, "delete")
        || results.conditionalFailure("delete", f.getStatus()) == WriteOutcome.APPLIED);
  }

  @Override
  public WriteOutcome delete(String key, long cas) {
    OperationFuture<Boolean> f = client.delete(key, cas);
    return results.await(f, "delete") ? WriteOutcome.APPLIED : results.conditionalFailure("delete", f.getStatus());
  }

  @Override
  public NodeKeyDump dumpKeys(Predicate<String> wanted, int capacity, LongAdder listed) {
    checkListable();
    return lister.open(wanted, capacity, listed);
  }

  @Override
  public void checkListable() {
    if (credentials.isSet()) {
      // memcached -S speaks only the binary protocol; lru_crawler metadump is a text command
      throw new UnsupportedOperationException("cannot list the keys of memcached " + server
          + ": with SASL (memjcache.username) the server speaks only the binary protocol, which has"
          + " no key listing; iterator(), clear(), removeAll() and destroyCache() need the text"
          + " protocol's lru_crawler metadump");
    }
  }

  @Override
  public void flush() {
    OperationFuture<Boolean> f = client.flush();
    if (!results.await(f, "flush_all")) {
      throw results.failure("flush_all", f.getStatus());
    }
  }

  @Override
  public void onConnectionLost(Runnable onLost) {
    client.addObserver(new ConnectionObserver() {
      @Override
      public void connectionEstablished(SocketAddress address, int reconnects) {}

      @Override
      public void connectionLost(SocketAddress address) {
        onLost.run();
      }
    });
  }

  @Override
  public boolean addRecord(String key, byte[] bytes) {
    OperationFuture<Boolean> f = client.add(key, 0, bytes, records);
    return results.await(f, "add") || results.conditionalFailure("add", f.getStatus()) == WriteOutcome.APPLIED;
  }

  @Override
  public void setRecord(String key, int ttlSeconds, byte[] bytes) {
    awaitSet(client.set(key, ttlSeconds, bytes, records));
  }

  @Override
  public boolean casRecord(String key, long cas, byte[] bytes) {
    return results.await(client.asyncCAS(key, cas, 0, bytes, records), "cas") == CASResponse.OK;
  }

  @Override
  public boolean refusesConnections() {
    try (Socket socket = new Socket()) {
      socket.connect(server.socketAddress(), (int) Math.min(Integer.MAX_VALUE, timeoutMillis));
      return false;
    } catch (ConnectException refused) {
      return true;
    } catch (IOException other) {
      return false;
    }
  }

  @Override
  public void close() {
    client.shutdown(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public int timedOutAgain() {
    return results.timedOutAgain();
  }

  @Override
  public String toString() {
    return "node " + server;
  }
}
