/**
 * memjcache, a JCache (JSR-107) provider on a cluster of memcached servers.
 *
 * <p>Applications use it through {@code javax.cache} alone: {@link javax.cache.Caching} finds the
 * provider as a {@link javax.cache.spi.CachingProvider} service. The exported packages are what an
 * application may call beyond that: the provider, manager and cache ({@code io.memjcache}) and the
 * cluster's health as the manager and JMX report it ({@code cluster.health}). Every other package
 * is internal: settings are named in properties, files and URIs, never as types, and the JMX beans
 * are read through their object names.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.memjcache {
  // cache-api, spymemcached, kryo and objenesis are automatic modules: named by their manifests'
  // Automatic-Module-Name, or (spymemcached, cache-api) by their jar file names
  requires transitive cache.api;
  requires spymemcached;
  requires com.esotericsoftware.kryo;
  requires org.objenesis;
  requires java.logging;
  // the exported cluster health is an MXBean; the cache's statistics a CacheStatisticsMXBean
  requires transitive java.management;
  // compile-time annotations; SLF4J is used only when the application has it (logging.LogBackend)
  requires static transitive org.jspecify;
  requires static org.slf4j;

  exports io.memjcache;
  exports io.memjcache.cluster.health;
  // spymemcached creates the cluster's SpyLogger by reflection (net.spy.log.LoggerImpl), so it
  // alone may reach the cluster package's public types; no application can
  exports io.memjcache.cluster to spymemcached;

  provides javax.cache.spi.CachingProvider with io.memjcache.MemcachedCachingProvider;

  // the cluster layer logs through the provider's logging, found as a service (cluster.Loggers)
  uses io.memjcache.cluster.LogRoute;
  provides io.memjcache.cluster.LogRoute with io.memjcache.logging.ClusterLogRoute;
}
