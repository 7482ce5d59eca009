package io.memjcache.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import javax.cache.CacheException;

/**
 * Lists the keys a node holds with {@code lru_crawler metadump hash} (memcached 1.6.10+), falling back
 * to {@code metadump all} (1.4.31+) on older servers. {@code all} walks the LRU lists and can miss
 * items that are being accessed while it runs (protocol.txt); {@code hash} walks the hash table.
 *
 * <p>The dump streams every live key, URL-encoded, one line each, until {@code END}; nothing else may
 * share the connection meanwhile, so each listing opens its own socket instead of using
 * spymemcached's, drained by a {@link NodeKeyDump}. Only one crawl runs per
 * server at a time: a {@code BUSY} answer is retried with backoff until the deadline.
 */
final class KeyLister {

  private static final String BY_HASH = "lru_crawler metadump hash\r\n";
  private static final String BY_LRU = "lru_crawler metadump all\r\n";

  private final ServerAddress server;
  private final int timeoutMillis;
  private volatile String command = BY_HASH;

  KeyLister(ServerAddress server, long timeoutMillis) {
    this.server = server;
    this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1000, timeoutMillis * 10));
  }

  /**
   * Opens the dump of the keys on this node, of which it hands out those {@code wanted}, queueing at
   * most {@code capacity} (see {@link NodeKeyDump}). Every key read from the server is counted in {@code listed}.
   */
  NodeKeyDump open(Predicate<String> wanted, int capacity, LongAdder listed) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    long backoff = 5;
    while (true) {
      NodeKeyDump dump = tryOpen(wanted, capacity, listed);
      if (dump != null) {
        return dump;
      }
      if (System.currentTimeMillis() + backoff > deadline) {
        throw new CacheException("memcached " + server + " stayed busy with another LRU crawl for "
            + timeoutMillis + " ms; cannot list keys");
      }
      sleep(backoff);
      backoff = Math.min(backoff * 2, 200);
    }
  }

  /** Returns the open dump, or null if the server is busy with another crawl. */
  private NodeKeyDump tryOpen(Predicate<String> wanted, int capacity, LongAdder listed) {
    Socket socket = new Socket();
    try {
      socket.connect(server.socketAddress(), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(command.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII), 64 * 1024);
      String first = in.readLine();
      if (first != null && first.startsWith("BUSY")) {
        socket.close();
        return null;
      }
      if (first != null && (first.startsWith("ERROR") || first.startsWith("CLIENT_ERROR"))) {
        socket.close();
        if (command == BY_HASH) {
          command = BY_LRU; // a server older than 1.6.10
          return tryOpen(wanted, capacity, listed);
        }
        throw new CacheException("memcached " + server + " refused lru_crawler metadump (" + first
            + "); the provider needs memcached 1.4.31+ without -X to list keys");
      }
      return new NodeKeyDump(server, socket, in, first, wanted, capacity, listed);
    } catch (IOException e) {
      closeQuietly(socket);
      throw NodeKeyDump.unavailable(server, e);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a socket that failed: nothing left to free
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("interrupted while listing keys", e);
    }
  }
}
