package io.memjcache.spring.boot;

import io.memjcache.MemcachedCacheManager;
import io.memjcache.cluster.health.ClusterMXBean;
import io.memjcache.cluster.health.NodeState;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.cache.CacheManager;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The memjcache clusters behind the application's JCache {@link CacheManager} beans, by manager
 * URI, seen through their read-only {@link ClusterMXBean}. Managers of other providers are left out.
 */
final class ManagedClusters {

  private final ObjectProvider<CacheManager> managers;

  ManagedClusters(ObjectProvider<CacheManager> managers) {
    this.managers = managers;
  }

  Map<String, ClusterMXBean> byManager() {
    Map<String, ClusterMXBean> clusters = new LinkedHashMap<>();
    managers.orderedStream()
        .filter(m -> !m.isClosed() && m instanceof MemcachedCacheManager)
        .forEach(m -> clusters.put(m.getURI().toString(), m.unwrap(MemcachedCacheManager.class).cluster()));
    return clusters;
  }

  /** Whether a node in this state serves requests (JSR-107 operations reach it). */
  static boolean serving(String state) {
    NodeState node = NodeState.valueOf(state);
    return node == NodeState.UP || node == NodeState.REPAIRING;
  }
}
