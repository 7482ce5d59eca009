package io.memjcache.cluster;

import java.util.logging.Logger;
import net.spy.memcached.compat.log.AbstractLogger;
import net.spy.memcached.compat.log.Level;

/**
 * Routes spymemcached's logging to {@code java.util.logging}, asking the level first.
 *
 * <p>spymemcached's own {@code SunLogger} builds a {@code Throwable} and walks its stack trace on
 * every call, also for disabled levels, and its I/O loop logs at debug for every operation: that
 * was most of the allocation and a good part of the CPU of each get and set. Named by the system
 * property {@code net.spy.log.LoggerImpl}; spymemcached calls the public one-string constructor.
 */
public final class SpyJulLogger extends AbstractLogger {

  private final Logger logger;

  public SpyJulLogger(String name) {
    super(name);
    this.logger = Logger.getLogger(name);
  }

  @Override
  public boolean isTraceEnabled() {
    return logger.isLoggable(java.util.logging.Level.FINEST);
  }

  @Override
  public boolean isDebugEnabled() {
    return logger.isLoggable(java.util.logging.Level.FINE);
  }

  @Override
  public boolean isInfoEnabled() {
    return logger.isLoggable(java.util.logging.Level.INFO);
  }

  @Override
  public void log(Level level, Object message, Throwable e) {
    java.util.logging.Level julLevel = expected(level) ? java.util.logging.Level.FINE : julLevel(level);
    if (logger.isLoggable(julLevel)) {
      logger.logp(julLevel, getName(), null, String.valueOf(message), e);
    }
  }

  /**
   * Returns if a message only narrates what the provider reports itself, in one line per node state
   * change: spymemcached's connection chatter (INFO) and its warnings about lost connections,
   * reconnects and the operations they discard (WARN, often with a stack trace). Each of its clients
   * talks to one server, so nothing it warns of is news once the provider has logged the state.
   */
  static boolean expected(Level level) {
    return level == Level.INFO || level == Level.WARN;
  }

  static java.util.logging.Level julLevel(Level level) {
    if (level == null) {
      return java.util.logging.Level.SEVERE;
    }
    switch (level) {
      case TRACE:
        return java.util.logging.Level.FINEST;
      case DEBUG:
        return java.util.logging.Level.FINE;
      case INFO:
        return java.util.logging.Level.INFO;
      case WARN:
        return java.util.logging.Level.WARNING;
      default:
        return java.util.logging.Level.SEVERE;
    }
  }
}
