package io.memjcache.spring.boot;

import io.memjcache.cluster.ClusterMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the memcached clusters behind the application's caches (Spring Boot 4), with each
 * node's state ({@code UP}, {@code DOWN}, {@code JOINING}, {@code REPAIRING}) as details.
 *
 * <p>{@code DOWN} when some cluster has no node serving: every cache operation on it fails. A
 * cluster with some nodes down is still {@code UP}: the other replicas answer (that is what
 * replication is for), and an instance restarted for it would not help; the details show it.
 */
final class ClusterHealthIndicator implements HealthIndicator {

  private final ManagedClusters clusters;

  ClusterHealthIndicator(ManagedClusters clusters) {
    this.clusters = clusters;
  }

  @Override
  public Health health() {
    Map<String, ClusterMXBean> byManager = clusters.byManager();
    boolean allServing = true;
    Map<String, Object> details = new LinkedHashMap<>();
    for (Map.Entry<String, ClusterMXBean> e : byManager.entrySet()) {
      Map<String, String> nodes = e.getValue().getNodeStates();
      allServing &= nodes.values().stream().anyMatch(ManagedClusters::serving);
      details.put(e.getKey(), nodes);
    }
    Health.Builder health = byManager.isEmpty() ? Health.unknown() : allServing ? Health.up() : Health.down();
    return health.withDetails(details).build();
  }
}
