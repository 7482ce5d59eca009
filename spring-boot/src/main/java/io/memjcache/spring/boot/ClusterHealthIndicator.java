package io.memjcache.spring.boot;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** {@link ClusterHealth} as a Spring Boot 4 health indicator ({@code spring-boot-health}). */
final class ClusterHealthIndicator implements HealthIndicator {

  private final ManagedClusters clusters;

  ClusterHealthIndicator(ManagedClusters clusters) {
    this.clusters = clusters;
  }

  @Override
  public Health health() {
    ClusterHealth health = ClusterHealth.of(clusters);
    return Health.status(health.status()).withDetails(health.details()).build();
  }
}
