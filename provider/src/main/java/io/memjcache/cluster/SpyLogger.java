package io.memjcache.cluster;

import io.memjcache.logging.Log;
import io.memjcache.logging.LogLevel;
import net.spy.memcached.compat.log.AbstractLogger;
import net.spy.memcached.compat.log.Level;

/**
 * Routes spymemcached's logging to the provider's {@link Log} (SLF4J when present, JUL otherwise),
 * asking the level first.
 *
 * <p>spymemcached's own {@code SunLogger} builds a {@code Throwable} and walks its stack trace on
 * every call, also for disabled levels, and its I/O loop logs at debug for every operation: that
 * was most of the allocation and a good part of the CPU of each get and set. Named by the system
 * property {@code net.spy.log.LoggerImpl}; spymemcached calls the public one-string constructor.
 */
public final class SpyLogger extends AbstractLogger {

  private final Log log;

  public SpyLogger(String name) {
    super(name);
    this.log = Log.named(name);
  }

  @Override
  public boolean isTraceEnabled() {
    return log.enabled(LogLevel.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return log.enabled(LogLevel.FINE);
  }

  @Override
  public boolean isInfoEnabled() {
    return log.enabled(LogLevel.INFO);
  }

  @Override
  public void log(Level level, Object message, Throwable e) {
    log.log(expected(level) ? LogLevel.FINE : logLevel(level), String.valueOf(message), e);
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

  static LogLevel logLevel(Level level) {
    if (level == null) {
      return LogLevel.ERROR;
    }
    switch (level) {
      case TRACE:
        return LogLevel.TRACE;
      case DEBUG:
        return LogLevel.FINE;
      case INFO:
        return LogLevel.INFO;
      case WARN:
        return LogLevel.WARNING;
      default:
        return LogLevel.ERROR;
    }
  }
}
