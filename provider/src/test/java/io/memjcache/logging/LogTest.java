package io.memjcache.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The provider logs through SLF4J when it is on the class path (here: slf4j-api with the
 * slf4j-jdk14 binding, so records still end in a JUL handler), through JUL in a class loader
 * without it, and builds messages only for enabled levels.
 */
class LogTest {

  private static String uniqueName() {
    return "memjcache.test.log." + System.nanoTime();
  }

  @Test
  void slf4jIsChosenWhenTheClassLoaderSeesIt() {
    assertEquals("SLF4J", Log.backend());
    assertSame(LogBackend.SLF4J, LogBackend.select(LogTest.class.getClassLoader()));
  }

  @Test
  void julIsChosenWhenTheClassLoaderDoesNotSeeSlf4j() throws Exception {
    try (URLClassLoader withoutSlf4j =
        new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
      assertSame(LogBackend.JUL, LogBackend.select(withoutSlf4j));
    }
  }

  @Test
  void recordsGoThroughSlf4j() {
    String name = uniqueName();
    try (JulRecords jul = new JulRecords(name, Level.INFO)) {
      Log.named(name).warning(() -> "node down");
      Log.named(name).warning("with cause", new IllegalStateException("boom"));
      assertEquals(2, jul.records.size());
      LogRecord record = jul.records.get(0);
      assertEquals("node down", record.getMessage());
      assertEquals(Level.WARNING, record.getLevel());
      // slf4j-jdk14 names the caller of the SLF4J logger as the source; JulSink names the logger
      assertEquals(Slf4jSink.class.getName(), record.getSourceClassName());
      assertEquals("boom", jul.records.get(1).getThrown().getMessage());
    }
  }

  @Test
  void disabledLevelsBuildNoMessage() {
    String name = uniqueName();
    try (JulRecords jul = new JulRecords(name, Level.INFO)) {
      Log log = Log.named(name);
      assertFalse(log.enabled(LogLevel.FINE));
      assertTrue(log.enabled(LogLevel.INFO));
      log.fine(() -> fail("a FINE message was built while FINE is off"));
      log.fine("probe failed", new IllegalStateException());
      log.info(() -> "node answers again");
      assertEquals(1, jul.records.size());
      assertEquals(Level.INFO, jul.records.get(0).getLevel());
    }
  }

  @Test
  void withoutSlf4jTheProviderLogsThroughJul() throws Exception {
    URL providerClasses = Log.class.getProtectionDomain().getCodeSource().getLocation();
    String name = uniqueName();
    try (URLClassLoader withoutSlf4j =
            new URLClassLoader(new URL[] {providerClasses}, ClassLoader.getPlatformClassLoader());
        JulRecords jul = new JulRecords(name, Level.INFO)) {
      Class<?> isolatedLog = Class.forName(Log.class.getName(), true, withoutSlf4j);
      assertEquals(withoutSlf4j, isolatedLog.getClassLoader());
      assertEquals("JUL", isolatedLog.getMethod("backend").invoke(null));
      Object log = isolatedLog.getMethod("named", String.class).invoke(null, name);
      Method warning = isolatedLog.getMethod("warning", Supplier.class);
      Supplier<String> message = () -> "node down";
      warning.invoke(log, message);
      assertEquals(1, jul.records.size());
      LogRecord record = jul.records.get(0);
      assertEquals("node down", record.getMessage());
      assertEquals(Level.WARNING, record.getLevel());
      assertEquals(name, record.getSourceClassName());
      assertNull(record.getThrown());
    }
  }

  @Test
  void everyLevelMapsOntoJavaUtilLogging() {
    assertEquals(Map.of(LogLevel.TRACE, Level.FINEST, LogLevel.FINE, Level.FINE, LogLevel.INFO, Level.INFO,
        LogLevel.WARNING, Level.WARNING, LogLevel.ERROR, Level.SEVERE),
        Stream.of(LogLevel.values()).collect(Collectors.toMap(level -> level, JulSink::julLevel)));
  }
}
