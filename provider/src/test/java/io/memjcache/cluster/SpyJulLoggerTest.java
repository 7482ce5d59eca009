package io.memjcache.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.spy.memcached.compat.log.Level;
import org.junit.jupiter.api.Test;

/** spymemcached's log calls reach java.util.logging at the mapped level, and only when enabled. */
class SpyJulLoggerTest {

  @Test
  void expectedDisconnectsAndConnectionChatterAreNotWarnings() {
    assertTrue(SpyJulLogger.expected(Level.WARN)); // "Closing, and reopening ...", "Discarding ..."
    assertTrue(SpyJulLogger.expected(Level.INFO));
    assertFalse(SpyJulLogger.expected(Level.ERROR));
    assertFalse(SpyJulLogger.expected(Level.FATAL));
  }

  @Test
  void levelsMapOntoJavaUtilLogging() {
    assertEquals(java.util.logging.Level.FINEST, SpyJulLogger.julLevel(Level.TRACE));
    assertEquals(java.util.logging.Level.FINE, SpyJulLogger.julLevel(Level.DEBUG));
    assertEquals(java.util.logging.Level.INFO, SpyJulLogger.julLevel(Level.INFO));
    assertEquals(java.util.logging.Level.WARNING, SpyJulLogger.julLevel(Level.WARN));
    assertEquals(java.util.logging.Level.SEVERE, SpyJulLogger.julLevel(Level.ERROR));
    assertEquals(java.util.logging.Level.SEVERE, SpyJulLogger.julLevel(Level.FATAL));
    assertEquals(java.util.logging.Level.SEVERE, SpyJulLogger.julLevel(null));
  }

  @Test
  void onlyEnabledLevelsArePublished() {
    String name = "memjcache.test.spy." + System.nanoTime();
    Logger jul = Logger.getLogger(name);
    List<LogRecord> records = new ArrayList<>();
    jul.setUseParentHandlers(false);
    jul.addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
    jul.setLevel(java.util.logging.Level.INFO);
    SpyJulLogger logger = new SpyJulLogger(name);
    assertFalse(logger.isDebugEnabled());
    assertTrue(logger.isInfoEnabled());
    logger.debug("not published");
    logger.info("connection chatter: FINE, not published");
    logger.warn("reconnecting", new java.io.IOException("Disconnected unexpected"));
    logger.error("published %s", "once");
    logger.error("with cause", new IllegalStateException("boom"));
    assertEquals(2, records.size());
    assertEquals("published once", records.get(0).getMessage());
    assertEquals(java.util.logging.Level.SEVERE, records.get(1).getLevel());
    assertEquals("boom", records.get(1).getThrown().getMessage());
  }
}
