package io.memjcache.config;

import java.util.List;

/**
 * How a cache manager reaches its memcached cluster. Managers with equal settings share one set of
 * connections.
 *
 * @param servers the ketama-sharded servers
 * @param copies how many nodes hold each entry (1 = no backup)
 * @param operationTimeoutMillis how long one memcached operation may take before it fails
 * @param namespace prefix that isolates this manager's caches from other applications on the cluster
 */
public record ClusterSettings(List<ServerAddress> servers, int copies, long operationTimeoutMillis,
    String namespace) {

  public ClusterSettings {
    servers = List.copyOf(servers);
    if (servers.isEmpty()) {
      throw new IllegalArgumentException(Settings.SERVERS + ": at least one server is needed");
    }
    if (servers.stream().map(ServerAddress::toString).distinct().count() != servers.size()) {
      throw new IllegalArgumentException(Settings.SERVERS + ": a server is listed twice in " + servers);
    }
    if (copies < 1) {
      throw new IllegalArgumentException(Settings.COPIES + ": must be at least 1, got " + copies);
    }
    if (operationTimeoutMillis < 1) {
      throw new IllegalArgumentException(
          Settings.OPERATION_TIMEOUT + ": must be at least 1 ms, got " + operationTimeoutMillis);
    }
  }

  /** The settings that decide which connections are needed; the namespace does not. */
  public ClusterSettings connectionKey() {
    return new ClusterSettings(servers, copies, operationTimeoutMillis, "");
  }
}
