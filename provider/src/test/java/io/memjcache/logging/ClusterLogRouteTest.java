package io.memjcache.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.cluster.LogRoute;
import java.lang.System.Logger;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The cluster layer finds the provider's route as a service, and its records reach the provider's
 * {@link Log} (here SLF4J, bound to JUL) at the mapped level, only when enabled.
 */
class ClusterLogRouteTest {

  @Test
  void theClusterLayerFindsTheProvidersRoute() {
    LogRoute route = ServiceLoader.load(LogRoute.class, LogRoute.class.getClassLoader()).findFirst().orElseThrow();
    assertInstanceOf(ClusterLogRoute.class, route);
    assertInstanceOf(LogAsSystemLogger.class, route.logger("memjcache.test.route"));
  }

  @Test
  void everyLevelMapsOntoTheProvidersLevels() {
    assertEquals(LogLevel.TRACE, LogAsSystemLogger.levelOf(Logger.Level.ALL));
    assertEquals(LogLevel.TRACE, LogAsSystemLogger.levelOf(Logger.Level.TRACE));
    assertEquals(LogLevel.FINE, LogAsSystemLogger.levelOf(Logger.Level.DEBUG));
    assertEquals(LogLevel.INFO, LogAsSystemLogger.levelOf(Logger.Level.INFO));
    assertEquals(LogLevel.WARNING, LogAsSystemLogger.levelOf(Logger.Level.WARNING));
    assertEquals(LogLevel.ERROR, LogAsSystemLogger.levelOf(Logger.Level.ERROR));
    assertNull(LogAsSystemLogger.levelOf(Logger.Level.OFF));
  }

  @Test
  void onlyEnabledLevelsArePublishedWithTheirCause() {
    String name = "memjcache.test.route." + System.nanoTime();
    try (JulRecords jul = new JulRecords(name, java.util.logging.Level.INFO)) {
      Logger logger = new ClusterLogRoute().logger(name);
      assertEquals(name, logger.getName());
      assertFalse(logger.isLoggable(Logger.Level.DEBUG));
      assertTrue(logger.isLoggable(Logger.Level.WARNING));
      assertFalse(logger.isLoggable(Logger.Level.OFF));
      logger.log(Logger.Level.DEBUG, () -> {
        throw new AssertionError("a disabled message is not built");
      });
      logger.log(Logger.Level.WARNING, "node {0} down", "a:1");
      logger.log(Logger.Level.ERROR, "with cause", new IllegalStateException("boom"));
      assertEquals(2, jul.records.size());
      assertEquals("node a:1 down", jul.records.get(0).getMessage());
      assertEquals(java.util.logging.Level.WARNING, jul.records.get(0).getLevel());
      assertEquals(java.util.logging.Level.SEVERE, jul.records.get(1).getLevel());
      assertEquals("boom", jul.records.get(1).getThrown().getMessage());
    }
  }
}
