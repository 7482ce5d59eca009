package io.memjcache.cluster;

import io.memjcache.config.ServerAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.cache.CacheException;

/**
 * Lists the keys a node holds with {@code lru_crawler metadump hash} (memcached 1.6.10+), falling back
 * to {@code metadump all} (1.4.31+) on older servers. {@code all} walks the LRU lists and can miss
 * items that are being accessed while it runs (protocol.txt); {@code hash} walks the hash table.
 *
 * <p>The dump streams every live key, URL-encoded, one line each, until {@code END}; nothing else may
 * share the connection meanwhile, so each listing opens its own short-lived socket instead of using
 * spymemcached's. Only one crawl runs per server at a time: a {@code BUSY} answer is retried with
 * backoff until the deadline.
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

  /** Returns the keys on this node that start with {@code prefix}. */
  List<String> keys(String prefix) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    long backoff = 5;
    while (true) {
      List<String> keys = tryList(prefix);
      if (keys != null) {
        return keys;
      }
      if (System.currentTimeMillis() + backoff > deadline) {
        throw new CacheException("memcached " + server + " stayed busy with another LRU crawl for "
            + timeoutMillis + " ms; cannot list keys");
      }
      sleep(backoff);
      backoff = Math.min(backoff * 2, 200);
    }
  }

  private List<String> tryList(String prefix) {
    try (Socket socket = new Socket()) {
      socket.connect(server.socketAddress(), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(command.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII), 64 * 1024);
      List<String> keys = new ArrayList<>();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.equals("END")) {
          return keys;
        }
        if (line.startsWith("BUSY")) {
          return null;
        }
        if ((line.startsWith("ERROR") || line.startsWith("CLIENT_ERROR")) && command == BY_HASH) {
          command = BY_LRU; // a server older than 1.6.10
          return tryList(prefix);
        }
        if (line.startsWith("ERROR") || line.startsWith("CLIENT_ERROR")) {
          throw new CacheException("memcached " + server + " refused lru_crawler metadump (" + line
              + "); the provider needs memcached 1.4.31+ without -X to list keys");
        }
        String key = keyOf(line);
        if (key != null && key.startsWith(prefix)) {
          keys.add(key);
        }
      }
      throw new NodeUnavailableException("memcached " + server + " closed the metadump early",
          NodeUnavailableException.Kind.NO_CONNECTION, null, server);
    } catch (IOException e) {
      throw new NodeUnavailableException("cannot list keys on memcached " + server + ": " + e,
          e instanceof java.net.SocketTimeoutException
              ? NodeUnavailableException.Kind.TIMEOUT : NodeUnavailableException.Kind.NO_CONNECTION, e,
          server);
    }
  }

  private static String keyOf(String line) {
    if (!line.startsWith("key=")) {
      return null;
    }
    int end = line.indexOf(' ');
    String encoded = end < 0 ? line.substring(4) : line.substring(4, end);
    return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
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
