package io.memjcache.config;

import io.memjcache.cluster.Cluster;
import io.memjcache.cluster.ClusterConfig;
import io.memjcache.cluster.SaslCredentials;
import io.memjcache.cluster.ServerAddress;
import io.memjcache.codec.AllowList;
import io.memjcache.security.KeyRing;
import java.util.List;
import java.util.Objects;

/**
 * How a cache manager reaches its memcached cluster. Managers with equal settings share one set of
 * connections.
 *
 * @param servers the ketama-sharded servers
 * @param backupServers a dedicated backup pool (empty: backups are the next nodes of the ring)
 * @param copies how many nodes hold each entry (1 = no backup)
 * @param operationTimeoutMillis how long one memcached operation may take before its node is
 *     marked down
 * @param retryIntervalMillis how often a node marked down is probed for its return
 * @param failureThreshold how many operations in a row must time out on a node before it is
 *     suspected (a dropped connection makes it suspected at once)
 * @param downAfterMillis how long a suspected node may stay silent before it is taken for down and
 *     its keys are written to stand-ins
 * @param namespace prefix that isolates this manager's caches from other applications on the cluster
 * @param keyRing the shared secrets that seal entries and name keys ({@link KeyRing#NONE}: none)
 * @param credentials the SASL user every connection authenticates as ({@link SaslCredentials#NONE})
 * @param allowedClasses the {@code memjcache.allowedClasses} patterns of the manager (checked by
 *     {@code io.memjcache.codec.AllowList}); like the namespace, no part of the connections
 */
public record ClusterSettings(List<ServerAddress> servers, List<ServerAddress> backupServers,
    int copies, long operationTimeoutMillis, long retryIntervalMillis, int failureThreshold,
    long downAfterMillis, String namespace, KeyRing keyRing, SaslCredentials credentials,
    String allowedClasses) {

  public ClusterSettings {
    Objects.requireNonNull(keyRing, "keyRing");
    Objects.requireNonNull(credentials, "credentials");
    servers = List.copyOf(servers);
    backupServers = List.copyOf(backupServers);
    if (servers.isEmpty()) {
      throw new IllegalArgumentException(Settings.SERVERS + ": at least one server is needed");
    }
    if (java.util.stream.Stream.concat(servers.stream(), backupServers.stream())
        .map(ServerAddress::toString).distinct().count() != servers.size() + backupServers.size()) {
      throw new IllegalArgumentException(Settings.SERVERS + ", " + Settings.BACKUP_SERVERS
          + ": a server is listed twice in " + servers + " / " + backupServers);
    }
    if (copies < 1) {
      // more copies than servers is allowed: every server then holds every entry
      throw new IllegalArgumentException(Settings.COPIES + ": must be at least 1, got " + copies);
    }
    if (!backupServers.isEmpty() && copies < 2) {
      throw new IllegalArgumentException(Settings.BACKUP_SERVERS + " needs " + Settings.COPIES
          + " of at least 2, got " + copies);
    }
    if (retryIntervalMillis < 1) {
      throw new IllegalArgumentException(
          Settings.RETRY_INTERVAL + ": must be at least 1 ms, got " + retryIntervalMillis);
    }
    if (failureThreshold < 1 || failureThreshold > 100) {
      throw new IllegalArgumentException(
          Settings.FAILURE_THRESHOLD + ": must be between 1 and 100, got " + failureThreshold);
    }
    if (downAfterMillis < operationTimeoutMillis) {
      throw new IllegalArgumentException(Settings.DOWN_AFTER + ": must be at least "
          + Settings.OPERATION_TIMEOUT + " (" + operationTimeoutMillis + " ms), got " + downAfterMillis);
    }
    AllowList.parse(allowedClasses); // a malformed pattern is an error naming the setting, now
    if (operationTimeoutMillis < 1) {
      throw new IllegalArgumentException(
          Settings.OPERATION_TIMEOUT + ": must be at least 1 ms, got " + operationTimeoutMillis);
    }
  }

  /** The cluster layer's view of these settings: what {@link Cluster} is built from. */
  public ClusterConfig clusterConfig() {
    return new ClusterConfig(servers, backupServers, copies, operationTimeoutMillis,
        retryIntervalMillis, failureThreshold, downAfterMillis, credentials, keyRing.authenticator(),
        EnvelopeItemFormat.INSTANCE);
  }

  /**
   * The settings that decide which connections are needed: not the namespace, but the secret, which
   * signs the membership marks the connections' clients keep on the nodes.
   */
  public ClusterSettings connectionKey() {
    return new ClusterSettings(servers, backupServers, copies, operationTimeoutMillis,
        retryIntervalMillis, failureThreshold, downAfterMillis, "", keyRing, credentials, "");
  }
}
