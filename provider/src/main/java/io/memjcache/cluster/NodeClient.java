package io.memjcache.cluster;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.cache.CacheException;
import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.auth.AuthDescriptor;
import net.spy.memcached.auth.PlainCallbackHandler;
import net.spy.memcached.internal.BulkFuture;
import net.spy.memcached.internal.CheckedOperationTimeoutException;
import net.spy.memcached.internal.OperationFuture;
import net.spy.memcached.ops.OperationStatus;
import net.spy.memcached.ops.StatusCode;
import net.spy.memcached.transcoders.Transcoder;

/**
 * The binary-protocol connection to one memcached server.
 *
 * <p>Each node has its own spymemcached client over a one-server list, so spymemcached never picks a
 * node: placement is {@link KetamaRing}'s. The binary protocol is needed for get-and-touch and for
 * delete with CAS. {@link FailureMode#Cancel} makes operations on a dead connection fail at once
 * instead of queueing until the timeout.
 *
 * <p>With {@link SaslCredentials}, every connection authenticates with SASL PLAIN before its first
 * operation (spymemcached holds operations until it has), and the constructor fails with an error
 * naming the user if the server refuses them ({@link SaslCheck}).
 */
final class NodeClient implements AutoCloseable {

  private final ServerAddress server;
  private final MemcachedClient client;
  private final Transcoder<byte[]> writer;
  private final Transcoder<byte[]> tombstones = ItemTranscoder.write(StoredItem.TOMBSTONE_FLAGS);
  private final Transcoder<byte[]> claims = ItemTranscoder.write(StoredItem.COPY_CLAIM_FLAGS);
  private final Transcoder<byte[]> marks = ItemTranscoder.write(0);
  private final long timeoutMillis;
  private final KeyLister lister;
  private final SaslCredentials credentials;
  /** Signs and checks the membership mark and the down notices (see SignedText). */
  private final RecordSigner auth;
  private volatile long itemSizeMax = DEFAULT_ITEM_SIZE_MAX;
  private final java.util.concurrent.atomic.AtomicInteger timeoutsInARow =
      new java.util.concurrent.atomic.AtomicInteger();

  /** memcached's default {@code -I}, assumed until the server says otherwise. */
  static final long DEFAULT_ITEM_SIZE_MAX = 1024 * 1024;
  /** Bytes of an item that are not its value: header, key, CAS, terminators (memcached's items.c). */
  static final int ITEM_OVERHEAD = 64;

  NodeClient(ServerAddress server, long timeoutMillis, int flags, SaslCredentials credentials,
      RecordSigner auth) {
    this.server = server;
    this.auth = auth;
    this.timeoutMillis = timeoutMillis;
    this.writer = ItemTranscoder.write(flags);
    this.lister = new KeyLister(server, timeoutMillis);
    this.credentials = credentials;
    ConnectionFactoryBuilder builder = new ConnectionFactoryBuilder()
        .setProtocol(ConnectionFactoryBuilder.Protocol.BINARY)
        .setFailureMode(FailureMode.Cancel)
        .setOpTimeout(timeoutMillis)
        // spymemcached drops a connection after this many timeouts in a row, blind to pauses of
        // this JVM (after a 2 s GC pause hundreds time out at once): failure detection is ours
        .setTimeoutExceptionThreshold(Integer.MAX_VALUE / 2)
        .setMaxReconnectDelay(1)
        .setDaemon(true);
    if (credentials.isSet()) {
      // PLAIN, not AuthDescriptor.typical: it prefers CRAM-MD5, which a sasldb-backed memcached lacks
      builder.setAuthDescriptor(new AuthDescriptor(new String[] {"PLAIN"},
          new PlainCallbackHandler(credentials.username(), credentials.password())))
          .setAuthWaitTime(authWaitMillis());
      SaslCheck.verify(server, credentials, (int) authWaitMillis());
    }
    try {
      this.client = new MemcachedClient(builder.build(), List.of(server.socketAddress()));
    } catch (IOException e) {
      throw new CacheException("cannot create a client for memcached " + server, e);
    }
    awaitConnection();
    readItemSizeMax();
  }

  /** How long an operation waits for its connection's authentication before it is cancelled. */
  private long authWaitMillis() {
    return Math.max(1000, 2 * timeoutMillis);
  }

  /**
   * Learns the server's item size limit, so that oversized items are refused here: memcached answers
   * them with "Too large", which spymemcached's binary CAS cannot handle (it resets the connection).
   */
  void readItemSizeMax() {
    try {
      Map<java.net.SocketAddress, Map<String, String>> stats = client.getStats("settings");
      for (Map<String, String> settings : stats.values()) {
        String value = settings.get("item_size_max");
        if (value != null) {
          itemSizeMax = Long.parseLong(value.trim());
        }
      }
    } catch (RuntimeException e) {
      // unreachable now: keep the default until the node is readmitted
    }
  }

  private void checkSize(String key, byte[] bytes) {
    long size = (long) bytes.length + key.length() + ITEM_OVERHEAD;
    if (size > itemSizeMax) {
      throw new CacheException("the entry for " + key + " needs " + size + " bytes, more than the item"
          + " size limit of memcached " + server + " (" + itemSizeMax + " bytes, memcached -I)");
    }
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
    return await(client.asyncGet(key, ItemTranscoder.READ), "get");
  }

  StoredItem gets(String key) {
    OperationFuture<CASValue<StoredItem>> f = client.asyncGets(key, ItemTranscoder.READ);
    CASValue<StoredItem> value = await(f, "gets");
    return value == null ? null : value.getValue().withCas(value.getCas(), server);
  }

  BulkFuture<Map<String, StoredItem>> getAllAsync(Collection<String> keys) {
    return client.asyncGetBulk(keys, ItemTranscoder.READ);
  }

  Map<String, StoredItem> awaitAll(BulkFuture<Map<String, StoredItem>> future) {
    return await(future, "multi-get");
  }

  OperationFuture<Boolean> setAsync(String key, int exptime, byte[] bytes) {
    checkSize(key, bytes);
    return client.set(key, exptime, bytes, writer);
  }

  void awaitSet(OperationFuture<Boolean> future) {
    if (!await(future, "set")) {
      throw failure("set", future.getStatus());
    }
  }

  WriteOutcome add(String key, int exptime, byte[] bytes) {
    checkSize(key, bytes);
    OperationFuture<Boolean> f = client.add(key, exptime, bytes, writer);
    return await(f, "add") ? WriteOutcome.APPLIED : conditionalFailure("add", f.getStatus());
  }

  WriteOutcome cas(String key, long cas, int exptime, byte[] bytes) {
    checkSize(key, bytes);
    OperationFuture<CASResponse> f = client.asyncCAS(key, cas, exptime, bytes, writer);
    CASResponse response = await(f, "cas");
    if (response == CASResponse.OK) {
      return WriteOutcome.APPLIED;
    }
    return conditionalFailure("cas", f.getStatus());
  }

  /**
   * Replaces the item with a tombstone if it still has CAS id {@code cas}; returns the tombstone's
   * CAS id, or -1 if the item changed or is gone.
   */
  long tombstone(String key, long cas, int exptime) {
    OperationFuture<CASResponse> f =
        client.asyncCAS(key, cas, exptime, new byte[0], tombstones);
    if (await(f, "cas") == CASResponse.OK) {
      Long newCas = f.getCas();
      return newCas == null ? 0 : newCas;
    }
    conditionalFailure("cas", f.getStatus());
    return -1;
  }

  /**
   * Puts a copy claim (see {@link StoredItem#COPY_CLAIM_FLAGS}) where the key is absent; returns it
   * with its CAS id, or null if the node holds the key now.
   */
  StoredItem claim(String key, int exptime) {
    OperationFuture<Boolean> f = client.add(key, exptime, new byte[0], claims);
    if (!await(f, "add")) {
      conditionalFailure("add", f.getStatus());
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
    return await(future, "delete") || conditionalFailure("delete", future.getStatus()) == WriteOutcome.APPLIED;
  }

  boolean delete(String key) {
    return awaitDelete(deleteAsync(key));
  }

  WriteOutcome delete(String key, long cas) {
    OperationFuture<Boolean> f = client.delete(key, cas);
    return await(f, "delete") ? WriteOutcome.APPLIED : conditionalFailure("delete", f.getStatus());
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
    if (!await(f, "flush_all")) {
      throw failure("flush_all", f.getStatus());
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

  /** Leaves a notice about another node on this one, for {@code ttlSeconds}. */
  void setNotice(String key, DownNotice notice, int ttlSeconds) {
    OperationFuture<Boolean> f = client.set(key, ttlSeconds, notice.encode(auth), marks);
    if (!await(f, "set")) {
      throw failure("set", f.getStatus());
    }
  }

  /** Returns the node's membership mark, or null if it has none; doubles as a health probe. */
  MembershipMark mark() {
    return markIn(get(MembershipMark.KEY));
  }

  /**
   * Returns the node's mark like {@link #mark()}, first waiting (at most one operation timeout) for
   * a connection that dropped to come back: a node that restarted meanwhile answers with its new
   * mark instead of the operation being cancelled.
   */
  MembershipMark markOnceConnected() {
    awaitConnection();
    return mark();
  }

  /** The mark an item read from {@link MembershipMark#KEY} holds, or null (none, or forged). */
  MembershipMark markIn(StoredItem item) {
    return item == null ? null : MembershipMark.decode(item.bytes(), auth);
  }

  /** The down notice an item holds, or null (none, or forged). */
  DownNotice noticeIn(StoredItem item) {
    return item == null ? null : DownNotice.decode(item.bytes(), auth);
  }

  /** Marks the node, unless it already has a mark. */
  boolean addMark(MembershipMark mark) {
    OperationFuture<Boolean> f = client.add(MembershipMark.KEY, 0, mark.encode(auth), marks);
    return await(f, "add") || conditionalFailure("add", f.getStatus()) == WriteOutcome.APPLIED;
  }

  /**
   * Replaces the mark with {@code next} if the node still carries the mark of epoch
   * {@code expectedEpoch}, atomically (CAS): of two clients doing so at once, one wins.
   */
  boolean replaceMark(long expectedEpoch, MembershipMark next) {
    StoredItem current = gets(MembershipMark.KEY);
    MembershipMark mark = markIn(current);
    return mark != null && mark.epoch() == expectedEpoch && replaceMarkItem(current, next);
  }

  /**
   * Replaces the mark item with {@code next} if it holds no mark {@code obeyable} accepts: none a
   * client with this secret wrote, or (by the predicate) one with an implausible switch time.
   */
  boolean replaceUnusableMark(MembershipMark next, java.util.function.Predicate<MembershipMark> obeyable) {
    StoredItem current = gets(MembershipMark.KEY);
    MembershipMark mark = markIn(current);
    return current != null && (mark == null || !obeyable.test(mark)) && replaceMarkItem(current, next);
  }

  private boolean replaceMarkItem(StoredItem current, MembershipMark next) {
    OperationFuture<CASResponse> f =
        client.asyncCAS(MembershipMark.KEY, current.cas(), 0, next.encode(auth), marks);
    return await(f, "cas") == CASResponse.OK;
  }

  /** The server list record an item holds, or null (none, or forged). */
  ServerListRecord serverListIn(StoredItem item) {
    return item == null ? null : ServerListRecord.decode(item.bytes(), auth);
  }

  /** Leaves a server list record, unless the node already has one. */
  void addServerList(ServerListRecord record) {
    await(client.add(ServerListRecord.KEY, 0, record.encode(auth), marks), "add");
  }

  /** Sets a server list record under {@code key} for {@code ttlSeconds}. */
  void setServerList(String key, ServerListRecord record, int ttlSeconds) {
    await(client.set(key, ttlSeconds, record.encode(auth), marks), "set");
  }

  /** Replaces the server list record read as {@code current} (CAS: false if it changed since). */
  boolean replaceServerList(StoredItem current, ServerListRecord next) {
    return await(client.asyncCAS(ServerListRecord.KEY, current.cas(), 0, next.encode(auth), marks), "cas")
        == CASResponse.OK;
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

  private WriteOutcome conditionalFailure(String op, OperationStatus status) {
    StatusCode code = status == null ? null : status.getStatusCode();
    if (code == StatusCode.ERR_EXISTS || code == StatusCode.ERR_NOT_STORED) {
      return WriteOutcome.CONFLICT;
    }
    if (code == StatusCode.ERR_NOT_FOUND) {
      return WriteOutcome.NOT_FOUND;
    }
    throw failure(op, status);
  }

  private CacheException failure(String op, OperationStatus status) {
    StatusCode code = status == null ? null : status.getStatusCode();
    if (code == StatusCode.ERR_2BIG) {
      return new CacheException("memcached " + server + " refused the " + op
          + ": the entry is larger than its item size limit (memcached -I)");
    }
    if (code == StatusCode.TIMEDOUT) {
      // spymemcached's own timeout of an operation still queued: as suspicious as ours
      return timeout(op, System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(timeoutMillis), null);
    }
    if (code == StatusCode.CANCELLED || code == StatusCode.INTERRUPTED) {
      return new NodeUnavailableException("memcached " + server + " is unreachable (" + op + ": "
          + status.getMessage() + ")", NodeUnavailableException.Kind.NO_CONNECTION, null, server);
    }
    return new CacheException("memcached " + server + " failed the " + op + ": "
        + (status == null ? "no status" : code + " " + status.getMessage()));
  }

  /** Counts one more operation in a row that timed out; returns how many there were. */
  int timedOutAgain() {
    return timeoutsInARow.incrementAndGet();
  }

  private <T> T await(Future<T> future, String op) {
    long start = System.nanoTime();
    try {
      T result = future.get(timeoutMillis, TimeUnit.MILLISECONDS);
      OperationStatus status = transportStatusOf(future);
      if (status != null) {
        throw failure(op, status);
      }
      if (timeoutsInARow.get() != 0) {
        timeoutsInARow.set(0);
      }
      return result;
    } catch (TimeoutException e) {
      future.cancel(false);
      throw timeout(op, start, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CheckedOperationTimeoutException) {
        // spymemcached timed the operation out while it was still queued: a timeout, not a lost
        // connection (as its TIMEDOUT status in failure(); found under bulk deletes, issue 16)
        throw timeout(op, System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(timeoutMillis), null);
      }
      throw unreachable(op, e);
    } catch (CancellationException e) {
      throw unreachable(op, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new CacheException("interrupted while waiting for memcached " + server, e);
    }
  }

  private NodeUnavailableException unreachable(String op, Exception e) {
    return new NodeUnavailableException("memcached " + server + " is unreachable (" + op + ": "
        + (e.getCause() == null ? e : e.getCause()) + ")", NodeUnavailableException.Kind.NO_CONNECTION, e, server);
  }

  /**
   * Returns the status of a completed future if it says the operation never got an answer, else
   * null. spymemcached completes an operation that timed out while still queued (TIMEDOUT) or was
   * cancelled with its connection without throwing from {@code get}: a get then returns null and a
   * multi-get an empty map, which would read as misses (after a pause of this JVM, a membership mark
   * "lost" that is there, and a node flushed for it).
   */
  private static OperationStatus transportStatusOf(Future<?> future) {
    OperationStatus status;
    if (future instanceof OperationFuture<?> f) {
      status = f.getStatus();
    } else if (future instanceof net.spy.memcached.internal.GetFuture<?> f) {
      status = f.getStatus();
    } else if (future instanceof BulkFuture<?> f) {
      status = f.getStatus();
    } else {
      return null;
    }
    StatusCode code = status == null ? null : status.getStatusCode();
    boolean unanswered = code == StatusCode.TIMEDOUT || code == StatusCode.CANCELLED
        || code == StatusCode.INTERRUPTED;
    return unanswered ? status : null;
  }

  private NodeUnavailableException timeout(String op, long startNanos, TimeoutException cause) {
    boolean paused = PauseDetector.jvm().stalledSince(startNanos);
    return new NodeUnavailableException("memcached " + server + " did not answer a " + op + " within "
        + timeoutMillis + " ms" + (paused ? " (while this JVM stood still)" : ""),
        paused ? NodeUnavailableException.Kind.TIMEOUT_WHILE_PAUSED : NodeUnavailableException.Kind.TIMEOUT,
        cause, server);
  }

  @Override
  public String toString() {
    return "node " + server;
  }
}
