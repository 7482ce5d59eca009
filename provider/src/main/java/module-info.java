/**
 * memjcache, a JCache (JSR-107) provider on a cluster of memcached servers.
 *
 * <p>Applications use it through {@code javax.cache} alone: {@link javax.cache.Caching} finds the
 * provider as a {@link javax.cache.spi.CachingProvider} service. The exported packages are what an
 * application may call beyond that: the provider, manager and cache ({@code io.memjcache}), the
 * cluster's health as the manager reports it ({@code cluster}), the settings ({@code config}) and
 * the JMX beans' types ({@code management}). Every other package is internal.
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
  // the JMX types (ObjectName) appear in the exported management package
  requires transitive java.management;
  // compile-time annotations; SLF4J is used only when the application has it (logging.LogBackend)
  requires static transitive org.jspecify;
  requires static org.slf4j;

  exports io.memjcache;
  exports io.memjcache.cluster;
  exports io.memjcache.config;
  exports io.memjcache.management;

  provides javax.cache.spi.CachingProvider with io.memjcache.MemcachedCachingProvider;

  // the cluster layer logs through the provider's logging, found as a service (cluster.Loggers)
  uses io.memjcache.cluster.LogRoute;
  provides io.memjcache.cluster.LogRoute with io.memjcache.logging.ClusterLogRoute;
}
