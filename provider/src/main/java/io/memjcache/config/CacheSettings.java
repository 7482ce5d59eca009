package io.memjcache.config;

import java.util.Optional;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.ExpiryPolicy;

/**
 * The settings a provider configuration declares for one cache; each is empty when nothing
 * declares it, and then the application's own {@code Configuration} decides.
 *
 * @param expiry the expiry policy ({@code memjcache.cache.<name>.expiry})
 * @param statistics whether statistics are on ({@code .statistics})
 * @param management whether the configuration MXBean is registered ({@code .management})
 */
public record CacheSettings(Optional<Factory<? extends ExpiryPolicy>> expiry,
    Optional<Boolean> statistics, Optional<Boolean> management) {

  /** No declared setting: the application's configuration is used as it is. */
  public static final CacheSettings NONE =
      new CacheSettings(Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * Overrides the application's configuration with what is declared: the configuration file is
   * the deployer's word, and Hibernate and Spring create their caches with a plain
   * {@code MutableConfiguration} that could not say otherwise.
   */
  public <K, V> MutableConfiguration<K, V> applyTo(MutableConfiguration<K, V> configuration) {
    expiry.ifPresent(configuration::setExpiryPolicyFactory);
    statistics.ifPresent(configuration::setStatisticsEnabled);
    management.ifPresent(configuration::setManagementEnabled);
    return configuration;
  }
}
