package io.memjcache.spring.boot;

import io.memjcache.cluster.health.ClusterMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The health of the memcached clusters behind the application's caches, in terms both Spring Boot
 * health APIs take ({@link ClusterHealthIndicator} for Boot 4, {@link Boot3ClusterHealthIndicator}
 * for Boot 3.5), so the two report the same thing.
 *
 * <ul>
 *   <li>details: by manager URI, each node's state ({@code UP}, {@code DOWN}, {@code JOINING},
 *       {@code REPAIRING});
 *   <li>{@code DOWN} when some cluster has no node serving, or clients of its nodes use another
 *       server list (then the details name both): every cache operation on it fails;
 *   <li>{@code UP} otherwise, also with some nodes down: the other replicas answer (that is what
 *       replication is for), and an instance restarted for it would not help; the details show it;
 *   <li>{@code UNKNOWN} when the application has no open memjcache manager.
 * </ul>
 *
 * @param status the status code, one of Spring Boot's {@code UP}, {@code DOWN}, {@code UNKNOWN}
 * @param details the node states by manager URI
 */
record ClusterHealth(String status, Map<String, Object> details) {

  static ClusterHealth of(ManagedClusters clusters) {
    Map<String, ClusterMXBean> byManager = clusters.byManager();
    boolean allServing = true;
    Map<String, Object> details = new LinkedHashMap<>();
    for (Map.Entry<String, ClusterMXBean> e : byManager.entrySet()) {
      Map<String, String> nodes = e.getValue().getNodeStates();
      String conflict = e.getValue().getServerListConflict();
      allServing &= conflict.isEmpty() && nodes.values().stream().anyMatch(ManagedClusters::serving);
      details.put(e.getKey(), conflict.isEmpty() ? nodes : Map.of("nodes", nodes, "serverListConflict", conflict));
    }
    String status = byManager.isEmpty() ? "UNKNOWN" : allServing ? "UP" : "DOWN";
    return new ClusterHealth(status, details);
  }
}
