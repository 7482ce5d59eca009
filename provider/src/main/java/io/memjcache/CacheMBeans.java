package io.memjcache;

import io.memjcache.management.CacheConfigurationBean;
import io.memjcache.management.CacheStatistics;
import io.memjcache.management.JmxRegistration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.management.CacheMXBean;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * The JMX beans JSR-107 names for one cache (section 12), its configuration and its statistics: each
 * registered while enabled, which the configuration records.
 */
final class CacheMBeans {

  private final String managerName;
  private final String cacheName;
  private final CacheStatistics statistics;
  private final MutableConfiguration<?, ?> configuration;

  CacheMBeans(String managerName, String cacheName, CacheStatistics statistics,
      MutableConfiguration<?, ?> configuration) {
    this.managerName = managerName;
    this.cacheName = cacheName;
    this.statistics = statistics;
    this.configuration = configuration;
  }

  void statistics(boolean enabled) {
    configuration.setStatisticsEnabled(enabled);
    statistics.setEnabled(enabled);
    if (enabled) {
      JmxRegistration.register(JmxRegistration.Kind.STATISTICS, managerName, cacheName, statistics,
          CacheStatisticsMXBean.class);
    } else {
      JmxRegistration.unregister(JmxRegistration.Kind.STATISTICS, managerName, cacheName);
    }
  }

  void configuration(boolean enabled) {
    configuration.setManagementEnabled(enabled);
    if (enabled) {
      JmxRegistration.register(JmxRegistration.Kind.CONFIGURATION, managerName, cacheName,
          new CacheConfigurationBean(configuration), CacheMXBean.class);
    } else {
      JmxRegistration.unregister(JmxRegistration.Kind.CONFIGURATION, managerName, cacheName);
    }
  }

  /** On close: the beans go, the configuration keeps saying what was enabled. */
  void unregister() {
    JmxRegistration.unregister(JmxRegistration.Kind.STATISTICS, managerName, cacheName);
    JmxRegistration.unregister(JmxRegistration.Kind.CONFIGURATION, managerName, cacheName);
  }
}
