/**
 * The cluster's health as one client sees it, the part of the cluster layer an application
 * calls: {@link io.memjcache.cluster.health.ClusterMXBean} (what {@code
 * MemcachedCacheManager.cluster()} returns and JMX shows) and the {@link
 * io.memjcache.cluster.health.NodeState}s it reports. Everything else of the cluster layer is
 * internal to the provider's module.
 */
package io.memjcache.cluster.health;
