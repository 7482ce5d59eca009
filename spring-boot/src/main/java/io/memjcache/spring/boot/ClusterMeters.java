package io.memjcache.spring.boot;

import io.memjcache.cluster.health.ClusterMXBean;
import io.memjcache.cluster.health.NodeState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of the memcached clusters behind the application's caches, tagged with the
 * manager URI ({@code manager}):
 *
 * <ul>
 *   <li>{@code memjcache.node.state} (gauge, tags {@code node}, {@code state}): 1 for the state the
 *       node is in, 0 for the others, so a dashboard can count nodes per state;
 *   <li>{@code memjcache.cluster.*} (counters): the cluster's own counters ({@code failovers},
 *       {@code backup.reads}, {@code replica.write.failures}, {@code nodes.marked.down},
 *       {@code rejoins}, {@code entries.repaired}).
 * </ul>
 */
final class ClusterMeters implements MeterBinder {

  private static final Map<String, ToDoubleFunction<ClusterMXBean>> COUNTERS = Map.of(
      "memjcache.cluster.failovers", ClusterMXBean::getFailovers,
      "memjcache.cluster.backup.reads", ClusterMXBean::getBackupReads,
      "memjcache.cluster.replica.write.failures", ClusterMXBean::getReplicaWriteFailures,
      "memjcache.cluster.nodes.marked.down", ClusterMXBean::getNodesMarkedDown,
      "memjcache.cluster.rejoins", ClusterMXBean::getRejoins,
      "memjcache.cluster.entries.repaired", ClusterMXBean::getEntriesRepaired);

  private final ManagedClusters clusters;

  ClusterMeters(ManagedClusters clusters) {
    this.clusters = clusters;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    clusters.byManager().forEach((manager, cluster) -> {
      for (String node : cluster.getNodeStates().keySet()) {
        for (NodeState state : NodeState.values()) {
          Gauge.builder("memjcache.node.state", cluster,
                  c -> state.name().equals(c.getNodeStates().get(node)) ? 1 : 0)
              .tags("manager", manager, "node", node, "state", state.name())
              .description("1 when the memcached node is in this state")
              .register(registry);
        }
      }
      COUNTERS.forEach((name, counter) -> FunctionCounter.builder(name, cluster, counter)
          .tag("manager", manager).register(registry));
    });
  }
}
