package io.memjcache.spring.boot;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * {@link ClusterHealth} as a Spring Boot 3.5 health indicator ({@code spring-boot-actuator}'s
 * {@code org.springframework.boot.actuate.health}, which Boot 4 replaced by {@code spring-boot-health}).
 */
final class Boot3ClusterHealthIndicator implements HealthIndicator {

  private final ManagedClusters clusters;

  Boot3ClusterHealthIndicator(ManagedClusters clusters) {
    this.clusters = clusters;
  }

  @Override
  public Health health() {
    ClusterHealth health = ClusterHealth.of(clusters);
    return Health.status(health.status()).withDetails(health.details()).build();
  }
}
