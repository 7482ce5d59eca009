package io.memjcache.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.spy.memcached.AddrUtil;
import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;
import net.spy.memcached.ConnectionFactory;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.DefaultHashAlgorithm;
import net.spy.memcached.KetamaNodeKeyFormatter;
import net.spy.memcached.KetamaNodeLocator;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.MemcachedNode;
import net.spy.memcached.NodeLocator;
import net.spy.memcached.internal.OperationFuture;

/**
 * The ceiling: one spymemcached client over all servers, binary protocol, ketama placement in
 * libmemcached's key format, raw {@code byte[]} values (spymemcached's default transcoder stores a
 * byte array as it is below its 16 KiB compression threshold). One copy of each entry.
 */
final class SpyStore implements Store {

  private static final long TIMEOUT_MS = 2_500;

  private final MemcachedClient client;
  private final List<InetSocketAddress> servers;
  private final AutoCloseable onClose;

  /** Connects to {@code servers}; {@link #close()} also closes {@code onClose} (the servers). */
  SpyStore(String servers, AutoCloseable onClose) {
    this.onClose = onClose;
    this.servers = AddrUtil.getAddresses(servers);
    ConnectionFactory built = new ConnectionFactoryBuilder()
        .setProtocol(ConnectionFactoryBuilder.Protocol.BINARY)
        .setHashAlg(DefaultHashAlgorithm.KETAMA_HASH)
        .setLocatorType(ConnectionFactoryBuilder.Locator.CONSISTENT)
        .setOpTimeout(TIMEOUT_MS)
        .setDaemon(true)
        .build();
    // ConnectionFactoryBuilder (2.12.3) has no setter for the ketama key format: only the locator
    // differs from what the builder made
    ConnectionFactory libmemcachedKetama = new LocatorOverride(built) {
      @Override
      public NodeLocator createLocator(List<MemcachedNode> nodes) {
        return new KetamaNodeLocator(nodes, DefaultHashAlgorithm.KETAMA_HASH,
            KetamaNodeKeyFormatter.Format.LIBMEMCACHED, equalWeights());
      }
    };
    try {
      this.client = new MemcachedClient(libmemcachedKetama, this.servers);
    } catch (IOException e) {
      throw new IllegalStateException("cannot connect to " + servers, e);
    }
    awaitConnected();
  }

  private Map<InetSocketAddress, Integer> equalWeights() {
    Map<InetSocketAddress, Integer> weights = new java.util.HashMap<>();
    for (InetSocketAddress server : servers) {
      weights.put(server, 1);
    }
    return weights;
  }

  private void awaitConnected() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (client.getAvailableServers().size() < servers.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("spymemcached did not connect to " + servers);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public byte[] get(String key) {
    return (byte[]) await(client.asyncGet(key));
  }

  @Override
  public void put(String key, byte[] value) {
    if (!await(client.set(key, 0, value))) {
      throw new IllegalStateException("set " + key + " failed");
    }
  }

  @Override
  public boolean putIfAbsent(String key, byte[] value) {
    return await(client.add(key, 0, value));
  }

  @Override
  public boolean replace(String key, byte[] oldValue, byte[] newValue) {
    CASValue<Object> current = await(client.asyncGets(key));
    if (current == null || !Arrays.equals((byte[]) current.getValue(), oldValue)) {
      return false;
    }
    return await(client.asyncCAS(key, current.getCas(), newValue)) == CASResponse.OK;
  }

  @Override
  public long increment(String key) {
    while (true) {
      CASValue<Object> current = await(client.asyncGets(key));
      byte[] next = Store.incremented((byte[]) current.getValue());
      CASResponse response = await(client.asyncCAS(key, current.getCas(), next));
      if (response == CASResponse.OK) {
        return Store.counter(next);
      }
      if (response != CASResponse.EXISTS) {
        throw new IllegalStateException("cas " + key + ": " + response);
      }
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public Map<String, byte[]> getAll(Set<String> keys) {
    Map<String, ?> found = await(client.asyncGetBulk(keys));
    return (Map<String, byte[]>) found;
  }

  @Override
  public void putAll(Map<String, byte[]> entries) {
    List<OperationFuture<Boolean>> pending = new ArrayList<>(entries.size());
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      pending.add(client.set(e.getKey(), 0, e.getValue()));
    }
    for (OperationFuture<Boolean> f : pending) {
      if (!await(f)) {
        throw new IllegalStateException("set " + f.getKey() + " failed");
      }
    }
  }

  @Override
  public void clear() {
    await(client.flush());
  }

  @Override
  public void close() {
    try {
      client.shutdown(5, TimeUnit.SECONDS);
    } finally {
      try {
        onClose.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }
}
