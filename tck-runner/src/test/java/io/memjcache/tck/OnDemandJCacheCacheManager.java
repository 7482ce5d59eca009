package io.memjcache.tck;

import javax.cache.CacheException;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.springframework.cache.Cache;
import org.springframework.cache.jcache.JCacheCache;
import org.springframework.cache.jcache.JCacheCacheManager;

/**
 * Spring's {@link JCacheCacheManager} over the default JCache {@code CacheManager}, with what the
 * JSR-107 annotations expect of it and Spring's does not do:
 *
 * <ul>
 *   <li>a cache an annotation names is created on first use (with a default {@link
 *       MutableConfiguration}, as the spec's default {@code CacheResolverFactory} does), where
 *       Spring's only finds caches that exist;
 *   <li>the TCK's core tests close the caching provider and destroy caches between the annotation
 *       tests, so a closed JCache {@code CacheManager} is replaced by the provider's current one and a
 *       closed (destroyed) cache is looked up, or created, again.
 * </ul>
 */
final class OnDemandJCacheCacheManager extends JCacheCacheManager {

  @Override
  public Cache getCache(String name) {
    javax.cache.CacheManager jcacheManager = getCacheManager();
    if (jcacheManager == null || jcacheManager.isClosed()) {
      setCacheManager(Caching.getCachingProvider().getCacheManager());
      initializeCaches();
      System.out.println("SpringBeanProvider: JCache CacheManager was closed, now on a new "
          + getCacheManager().getURI());
    }
    Cache cache = super.getCache(name);
    if (cache != null && cache.getNativeCache() instanceof javax.cache.Cache<?, ?> jcache && jcache.isClosed()) {
      System.out.println("SpringBeanProvider: cache '" + name + "' was closed, looking it up again");
      initializeCaches();
      cache = super.getCache(name);
    }
    return cache;
  }

  @Override
  protected Cache getMissingCache(String name) {
    Cache existing = super.getMissingCache(name);
    if (existing != null) {
      return existing;
    }
    javax.cache.CacheManager jcacheManager = getCacheManager();
    javax.cache.Cache<Object, Object> jcache;
    try {
      jcache = jcacheManager.createCache(name, new MutableConfiguration<>());
      System.out.println("SpringBeanProvider: created cache '" + name + "' on " + jcacheManager.getURI());
    } catch (CacheException alreadyCreated) {
      jcache = jcacheManager.getCache(name);
      if (jcache == null) {
        throw alreadyCreated;
      }
    }
    return new JCacheCache(jcache, isAllowNullValues());
  }
}
