package io.memjcache.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * N real memcached servers on free 127.0.0.1 ports, for tests, samples and benchmarks.
 *
 * <p>Use it in try-with-resources (or a JUnit extension's after hook) so the servers stop when the
 * test ends; a shutdown hook stops them too if the JVM exits first.
 */
public final class MemcachedCluster implements AutoCloseable {

  /**
   * Extra server options every node gets: the LRU crawler without its per-item sleep, so
   * {@code lru_crawler metadump} (used to list keys) answers in milliseconds.
   */
  public static final List<String> DEFAULT_ARGS = List.of("-m", "64", "-o", "lru_crawler_sleep=0");

  private final List<MemcachedProcess> nodes;
  private final List<AutoCloseable> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

  private MemcachedCluster(List<MemcachedProcess> nodes) {
    this.nodes = Collections.unmodifiableList(nodes);
  }

  /** Starts {@code size} servers with {@link #DEFAULT_ARGS}. */
  public static MemcachedCluster start(int size) {
    return start(size, DEFAULT_ARGS);
  }

  /** Starts {@code size} servers, each with the given extra command-line options. */
  public static MemcachedCluster start(int size, List<String> extraArgs) {
    return start(size, extraArgs, Map.of());
  }

  /** Starts {@code size} servers with extra options and environment variables. */
  public static MemcachedCluster start(int size, List<String> extraArgs, Map<String, String> environment) {
    if (size < 1) {
      throw new IllegalArgumentException("a cluster needs at least one node, got " + size);
    }
    List<MemcachedProcess> started = new ArrayList<>();
    try {
      for (int i = 0; i < size; i++) {
        started.add(MemcachedProcess.start(extraArgs, environment));
      }
    } catch (RuntimeException e) {
      started.forEach(MemcachedProcess::close);
      throw e;
    }
    return new MemcachedCluster(started);
  }

  public List<MemcachedProcess> nodes() {
    return nodes;
  }

  public MemcachedProcess node(int index) {
    return nodes.get(index);
  }

  /** Returns the node listening on {@code 127.0.0.1:port}. */
  public MemcachedProcess nodeAt(String address) {
    return nodes.stream().filter(n -> n.address().equals(address)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node at " + address + " in " + this));
  }

  /** Returns the server list as the provider reads it: {@code 127.0.0.1:p1,127.0.0.1:p2,...}. */
  public String servers() {
    return nodes.stream().map(MemcachedProcess::address).collect(Collectors.joining(","));
  }

  @Override
  public void close() {
    try {
      for (AutoCloseable client : clients) {
        try {
          client.close();
        } catch (Exception e) {
          // the servers are stopped all the same
        }
      }
    } finally {
      nodes.forEach(MemcachedProcess::close);
    }
  }

  /**
   * Closes {@code client} before the servers stop. A client left open outlives its servers and keeps
   * probing their addresses, and a later cluster may reuse a port: its probes would then reach, and
   * could flush, a node of that other cluster.
   */
  public <T extends AutoCloseable> T closeFirst(T client) {
    clients.add(client);
    return client;
  }

  @Override
  public String toString() {
    return "MemcachedCluster[" + servers() + "]";
  }
}
