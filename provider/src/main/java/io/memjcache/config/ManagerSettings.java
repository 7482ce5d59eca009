package io.memjcache.config;

/**
 * Everything a cache manager resolved from its URI, configuration file, properties and the system.
 *
 * @param cluster how to reach the memcached cluster
 * @param caches the per-cache settings, and the caches that exist as soon as the manager opens
 * @param serversDefaulted true when nothing named the servers, so {@value Settings#DEFAULT_SERVERS}
 *     is used (the provider logs it: a default that connects somewhere must not be silent)
 * @param whenUnreachable what cache operations do while their nodes cannot be reached
 */
public record ManagerSettings(ClusterSettings cluster, CacheDeclarations caches,
    boolean serversDefaulted, WhenUnreachable whenUnreachable) {}
