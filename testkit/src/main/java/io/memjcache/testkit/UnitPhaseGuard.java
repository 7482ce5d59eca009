package io.memjcache.testkit;

/**
 * Refuses to start memcached in the build's unit test phase, where every class that needs a server
 * is left out by its {@link RealMemcached} tag: a server starting there belongs to a class that
 * forgot the annotation.
 *
 * <p>The unit phase says so with the system property {@value #PHASE_PROPERTY}={@value #UNIT} (set
 * by the build's surefire configuration); demos, benchmarks and the integration phase leave it unset.
 */
final class UnitPhaseGuard {

  /** Not under {@code memjcache.}: the provider rejects unknown settings of that prefix. */
  static final String PHASE_PROPERTY = "io.memjcache.testkit.phase";
  static final String UNIT = "unit";

  private UnitPhaseGuard() {}

  /** Throws if this JVM runs the unit test phase. */
  static void refuseInUnitPhase() {
    if (UNIT.equals(System.getProperty(PHASE_PROPERTY))) {
      throw new IllegalStateException("a unit test started memcached: tag the test class @"
          + RealMemcached.class.getName() + " so that it runs with the integration tests (" + PHASE_PROPERTY
          + "=" + UNIT + ")");
    }
  }
}
