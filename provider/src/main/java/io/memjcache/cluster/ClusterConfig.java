package io.memjcache.cluster;

import java.util.List;

/**
 * What a {@link Cluster} is built from, in this package's own types: the provider's settings
 * ({@code io.memjcache.config.ClusterSettings}, which validates them) are turned into one, so that
 * the cluster layer depends on no other package of the provider.
 *
 * @param servers the ketama-sharded servers
 * @param backupServers a dedicated backup pool (empty: backups are the next nodes of the ring)
 * @param copies how many nodes hold each entry (1 = no backup)
 * @param operationTimeoutMillis how long one memcached operation may take
 * @param retryIntervalMillis how often a node marked down is probed for its return
 * @param failureThreshold how many operations in a row must time out on a node before it is
 *     suspected
 * @param downAfterMillis how long a suspected node may stay silent before it is taken for down
 * @param credentials the SASL user every connection authenticates as ({@link SaslCredentials#NONE})
 * @param signer signs the cluster's own records (membership marks, down notices, server lists)
 * @param format what replication needs to know of the stored entries
 */
public record ClusterConfig(List<ServerAddress> servers, List<ServerAddress> backupServers,
    int copies, long operationTimeoutMillis, long retryIntervalMillis, int failureThreshold,
    long downAfterMillis, SaslCredentials credentials, RecordSigner signer, ItemFormat format) {

  public ClusterConfig {
    servers = List.copyOf(servers);
    backupServers = List.copyOf(backupServers);
  }
}
