package io.memjcache.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In the unit phase (this class is untagged, so it runs there), starting memcached fails at once with
 * a message that names the tag to add; the build's surefire configuration is what says "unit".
 */
class UnitPhaseGuardTest {

  @Test
  void theUnitPhaseIsMarkedByTheBuild() {
    assertEquals(UnitPhaseGuard.UNIT, System.getProperty(UnitPhaseGuard.PHASE_PROPERTY),
        "surefire's systemPropertyVariables in the root pom set " + UnitPhaseGuard.PHASE_PROPERTY);
  }

  @Test
  void anUntaggedTestThatStartsMemcachedFailsNamingTheTag() {
    try (MemcachedProcess started = MemcachedProcess.start(List.of())) {
      fail("memcached started in the unit phase on port " + started.port());
    } catch (IllegalStateException e) {
      assertTrue(e.getMessage().contains("@" + RealMemcached.class.getName()), e.getMessage());
    }
  }

  @Test
  void aClusterIsRefusedToo() {
    try (MemcachedCluster started = MemcachedCluster.start(1)) {
      fail("a memcached cluster started in the unit phase: " + started.servers());
    } catch (IllegalStateException e) {
      assertTrue(e.getMessage().contains("@" + RealMemcached.class.getName()), e.getMessage());
    }
  }
}
