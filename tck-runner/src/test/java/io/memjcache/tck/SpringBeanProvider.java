package io.memjcache.tck;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.annotation.BeanProvider;
import manager.CacheNameOnEachMethodBlogManagerImpl;
import manager.ClassLevelCacheConfigBlogManagerImpl;
import manager.UsingDefaultCacheNameBlogManagerImpl;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.jcache.config.JCacheConfigurer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The TCK's {@link BeanProvider}: hands the annotation tests ({@code org.jsr107.tck.annotation}) the
 * TCK's annotated blog managers as Spring beans whose {@code @CacheResult}, {@code @CacheRemove} and
 * {@code @CacheRemoveAll} are carried out by Spring's JSR-107 interceptor ({@code @EnableCaching} with
 * JCache on the class path) on caches of this provider, so on the real memcached cluster.
 *
 * <p>The TCK finds this class through {@code META-INF/services/javax.cache.annotation.BeanProvider};
 * without it the annotation tests pass without running anything. The Spring context starts on the
 * first {@link #getBeanByType} call, when {@link TckCluster} has already published the cluster's
 * servers in {@code memjcache.servers}.
 */
public final class SpringBeanProvider implements BeanProvider {

  private static AnnotationConfigApplicationContext context;

  private static final Set<Class<?>> announced = ConcurrentHashMap.newKeySet();

  @Override
  public <T> T getBeanByType(Class<T> beanClass) {
    T bean = context().getBean(beanClass);
    if (announced.add(beanClass)) {
      System.out.println("SpringBeanProvider: " + beanClass.getName() + " -> " + bean.getClass().getName());
    }
    return bean;
  }

  private static synchronized AnnotationConfigApplicationContext context() {
    if (context == null) {
      context = new AnnotationConfigApplicationContext(AnnotatedBeans.class);
      System.out.println("SpringBeanProvider: Spring context started, JSR-107 annotations intercepted on "
          + context.getBean(OnDemandJCacheCacheManager.class).getCacheManager().getURI());
    }
    return context;
  }

  /** The TCK's annotated beans, proxied by class (the tests ask for the implementation types). */
  @Configuration
  @EnableCaching(proxyTargetClass = true)
  static class AnnotatedBeans implements JCacheConfigurer {

    @Bean
    @Override
    public CacheManager cacheManager() {
      return new OnDemandJCacheCacheManager();
    }

    @Bean
    CacheNameOnEachMethodBlogManagerImpl cacheNameOnEachMethodBlogManager() {
      return new CacheNameOnEachMethodBlogManagerImpl();
    }

    @Bean
    ClassLevelCacheConfigBlogManagerImpl classLevelCacheConfigBlogManager() {
      return new ClassLevelCacheConfigBlogManagerImpl();
    }

    @Bean
    UsingDefaultCacheNameBlogManagerImpl usingDefaultCacheNameBlogManager() {
      return new UsingDefaultCacheNameBlogManagerImpl();
    }
  }
}
