package io.memjcache.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.codec.Envelope;
import io.memjcache.codec.EnvelopeCodec;
import io.memjcache.config.ClusterSettings;
import io.memjcache.security.KeyRing;
import io.memjcache.testkit.MemcachedCluster;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link Cluster} on real servers for tests of the replication layer below the JCache API. */
final class ClusterOnServers {

  private ClusterOnServers() {}

  /**
   * A 2-copy cluster on {@code servers}, closed before them, once every node is UP. Its membership
   * pass runs every 10 minutes, so no check but the suspects' probe runs during a test.
   */
  static Cluster start(MemcachedCluster servers, long operationTimeoutMillis, long downAfterMillis)
      throws InterruptedException {
    List<ServerAddress> addresses = Arrays.stream(servers.servers().split(",")).map(ServerAddress::parse).toList();
    Cluster cluster = servers.closeFirst(new Cluster(new ClusterSettings(addresses, List.of(), 2,
        operationTimeoutMillis, TimeUnit.MINUTES.toMillis(10), 1, downAfterMillis, "", KeyRing.NONE,
        SaslCredentials.NONE, "").clusterConfig()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!cluster.isFullyReplicated() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(cluster.isFullyReplicated(), cluster.getNodeStates().toString());
    return cluster;
  }

  /** An eternal entry of {@code key} whose write version and one-byte value are {@code version}. */
  static byte[] entry(String key, long version) {
    return EnvelopeCodec.encode(key.getBytes(StandardCharsets.UTF_8), new byte[] {(byte) version},
        Envelope.ETERNAL, version);
  }
}
