package io.memjcache.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.logging.JulRecords;
import java.lang.System.Logger;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.spy.memcached.compat.log.Level;
import org.junit.jupiter.api.Test;

/**
 * spymemcached's log calls reach the provider's logging at the mapped level, and only when enabled
 * (through SLF4J on the test class path, whose slf4j-jdk14 binding publishes to the JUL handler).
 */
class SpyLoggerTest {

  @Test
  void expectedDisconnectsAndConnectionChatterAreNotWarnings() {
    assertTrue(SpyLogger.expected(Level.WARN)); // "Closing, and reopening ...", "Discarding ..."
    assertTrue(SpyLogger.expected(Level.INFO));
    assertFalse(SpyLogger.expected(Level.ERROR));
    assertFalse(SpyLogger.expected(Level.FATAL));
  }

  @Test
  void everyLevelMapsOntoTheProvidersLevels() {
    assertEquals(Map.of(Level.TRACE, Logger.Level.TRACE, Level.DEBUG, Logger.Level.DEBUG,
        Level.INFO, Logger.Level.INFO, Level.WARN, Logger.Level.WARNING, Level.ERROR, Logger.Level.ERROR,
        Level.FATAL, Logger.Level.ERROR),
        Stream.of(Level.values()).collect(Collectors.toMap(level -> level, SpyLogger::logLevel)));
    assertEquals(Logger.Level.ERROR, SpyLogger.logLevel(null));
  }

  @Test
  void onlyEnabledLevelsArePublished() {
    String name = "memjcache.test.spy." + System.nanoTime();
    try (JulRecords jul = new JulRecords(name, java.util.logging.Level.INFO)) {
      SpyLogger logger = new SpyLogger(name);
      assertFalse(logger.isDebugEnabled());
      assertTrue(logger.isInfoEnabled());
      logger.debug("not published");
      logger.info("connection chatter: FINE, not published");
      logger.warn("reconnecting", new java.io.IOException("Disconnected unexpected"));
      logger.error("published %s", "once");
      logger.error("with cause", new IllegalStateException("boom"));
      assertEquals(2, jul.records.size());
      assertEquals("published once", jul.records.get(0).getMessage());
      assertEquals(java.util.logging.Level.SEVERE, jul.records.get(1).getLevel());
      assertEquals("boom", jul.records.get(1).getThrown().getMessage());
    }
  }
}
