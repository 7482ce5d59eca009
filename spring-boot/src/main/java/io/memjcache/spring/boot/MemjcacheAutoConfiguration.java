package io.memjcache.spring.boot;

import io.memjcache.MemcachedCachingProvider;
import javax.cache.CacheManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Spring Boot auto-configuration of memjcache (Spring Boot 4.0 and 3.5):
 *
 * <ul>
 *   <li>the {@code memjcache.*} settings of the Environment reach the JCache cache manager Spring
 *       Boot creates ({@code spring.cache.type=jcache}), above those of the file
 *       {@code spring.cache.jcache.config} names;
 *   <li>a health indicator {@code memjcache} with each node's state ({@link ClusterHealth}), on
 *       whichever health API this Spring Boot has: Boot 4's {@code spring-boot-health} or Boot 3.5's
 *       {@code spring-boot-actuator};
 *   <li>Micrometer meters of node states and cluster counters ({@link ClusterMeters}).
 * </ul>
 */
@AutoConfiguration
@ConditionalOnClass(MemcachedCachingProvider.class)
@Import(SettingsCustomizerRegistrar.class)
public class MemjcacheAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ManagedClusters memjcacheClusters(ObjectProvider<CacheManager> managers) {
    return new ManagedClusters(managers);
  }

  /** The health indicator, where Spring Boot 4's health API is on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Health {

    @Bean
    @ConditionalOnMissingBean(name = "memjcacheHealthIndicator")
    ClusterHealthIndicator memjcacheHealthIndicator(ManagedClusters clusters) {
      return new ClusterHealthIndicator(clusters);
    }
  }

  /**
   * The health indicator, where Spring Boot 3's health API is on the class path (Boot 4's
   * {@code spring-boot-actuator} no longer has the package, so at most one of the two applies).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  static class Boot3Health {

    @Bean
    @ConditionalOnMissingBean(name = "memjcacheHealthIndicator")
    Boot3ClusterHealthIndicator memjcacheHealthIndicator(ManagedClusters clusters) {
      return new Boot3ClusterHealthIndicator(clusters);
    }
  }

  /** The meters, where Micrometer is on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  static class Meters {

    @Bean
    @ConditionalOnMissingBean
    ClusterMeters memjcacheClusterMeters(ManagedClusters clusters) {
      return new ClusterMeters(clusters);
    }
  }
}
