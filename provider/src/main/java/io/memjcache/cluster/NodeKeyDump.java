package io.memjcache.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * One pass of a node's {@code lru_crawler metadump hash}, read by a thread of its own at the pace
 * memcached writes it, its keys queued for the caller, at most a given capacity
 * ({@link #CAPACITY} when streamed).
 *
 * <p>Why never at the caller's pace: while the client does not read, memcached's crawler waits for
 * the socket to drain while holding the item lock of the hash bucket it is in (crawler.c), and every
 * worker thread that then touches a key under that lock stops, with all its connections: measured
 * here, a get blocked within 120 keys. So the dump is always drained; a key that finds the queue
 * full is dropped and counted ({@link #dropped}), and the caller lists the node again for it.
 */
final class NodeKeyDump implements AutoCloseable {

  /** Keys queued per streamed dump: about 5 MB of heap at most. */
  static final int CAPACITY = 50_000;

  private final ServerAddress server;
  private final Socket socket;
  private final BufferedReader in;
  private final Predicate<String> wanted;
  private final LongAdder listed;
  private final BlockingQueue<String> keys;
  private volatile long queued;
  private volatile long dropped;
  private volatile boolean finished;
  private volatile boolean closed;
  private volatile RuntimeException failure;

  /**
   * Starts draining a dump whose first line was {@code firstLine}, queueing at most {@code capacity}
   * of the keys it wants.
   */
  NodeKeyDump(ServerAddress server, Socket socket, BufferedReader in, String firstLine,
      Predicate<String> wanted, int capacity, LongAdder listed) {
    this.keys = capacity == Integer.MAX_VALUE
        ? new java.util.concurrent.LinkedBlockingQueue<>() : new ArrayBlockingQueue<>(capacity);
    this.server = server;
    this.socket = socket;
    this.in = in;
    this.wanted = wanted;
    this.listed = listed;
    Thread reader = new Thread(() -> drain(firstLine), "memjcache-key-dump-" + server);
    reader.setDaemon(true);
    reader.start();
  }

  /** Returns the next key wanted, or null once the dump has ended. */
  String next() {
    try {
      while (true) {
        boolean ended = finished; // read before polling: a key queued before the end is not lost
        String key = ended ? keys.poll() : keys.poll(20, TimeUnit.MILLISECONDS);
        if (key != null) {
          return key;
        }
        if (ended) {
          if (failure != null) {
            throw failure;
          }
          return null;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new javax.cache.CacheException("interrupted while listing keys on memcached " + server, e);
    }
  }

  /** Waits for the dump to end; returns how many keys it wanted, queued or not. */
  long count() {
    while (next() != null) {
      // counted as they are read
    }
    return queued + dropped;
  }

  /** Keys wanted and queued in this pass. */
  long queued() {
    return queued;
  }

  /** Keys wanted that this pass found no room for. */
  long dropped() {
    return dropped;
  }

  @Override
  public void close() {
    closed = true;
    closeSocket();
  }

  private void drain(String firstLine) {
    try {
      String line = firstLine;
      while (line != null && !line.equals("END")) {
        offer(keyOf(line));
        line = in.readLine();
      }
      if (line == null) {
        throw new NodeUnavailableException("memcached " + server + " closed the metadump early",
            NodeUnavailableException.Kind.NO_CONNECTION, null, server);
      }
    } catch (IOException e) {
      fail(unavailable(server, e));
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      closeSocket();
      finished = true;
    }
  }

  private void offer(String key) {
    if (key == null) {
      return;
    }
    listed.increment();
    if (!wanted.test(key)) {
      return;
    }
    if (keys.offer(key)) {
      queued++;
    } else {
      dropped++;
    }
  }

  private void fail(RuntimeException e) {
    if (!closed) {
      failure = e;
    }
  }

  private void closeSocket() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // the crawl ends with the connection either way
    }
  }

  /** The key of a {@code key=<url-encoded> exp=... } line, or null for any other line. */
  private static String keyOf(String line) {
    if (!line.startsWith("key=")) {
      return null;
    }
    int end = line.indexOf(' ');
    String encoded = end < 0 ? line.substring(4) : line.substring(4, end);
    try {
      return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return null; // not a key memcached encoded: no key of ours
    }
  }

  static NodeUnavailableException unavailable(ServerAddress server, IOException e) {
    return new NodeUnavailableException("cannot list keys on memcached " + server + ": " + e,
        e instanceof SocketTimeoutException
            ? NodeUnavailableException.Kind.TIMEOUT : NodeUnavailableException.Kind.NO_CONNECTION, e,
        server);
  }
}
