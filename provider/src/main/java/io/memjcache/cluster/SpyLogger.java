package io.memjcache.cluster;

import java.lang.System.Logger;
import net.spy.memcached.compat.log.AbstractLogger;
import net.spy.memcached.compat.log.Level;

/**
 * Routes spymemcached's logging to the provider's (see {@link LogRoute}: SLF4J when present, JUL otherwise),
 * asking the level first.
 *
 * <p>spymemcached's own {@code SunLogger} builds a {@code Throwable} and walks its stack trace on
 * every call, also for disabled levels, and its I/O loop logs at debug for every operation: that
 * was most of the allocation and a good part of the CPU of each get and set. Named by the system
 * property {@code net.spy.log.LoggerImpl}; spymemcached calls the public one-string constructor.
 */
public final class SpyLogger extends AbstractLogger {

  private final Logger log;

  public SpyLogger(String name) {
    super(name);
    this.log = Loggers.named(name);
  }

  @Override
  public boolean isTraceEnabled() {
    return log.isLoggable(Logger.Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return log.isLoggable(Logger.Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return log.isLoggable(Logger.Level.INFO);
  }

  @Override
  public void log(Level level, Object message, Throwable e) {
    log.log(expected(level) ? Logger.Level.DEBUG : logLevel(level), String.valueOf(message), e);
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

  static Logger.Level logLevel(Level level) {
    if (level == null) {
      return Logger.Level.ERROR;
    }
    switch (level) {
      case TRACE:
        return Logger.Level.TRACE;
      case DEBUG:
        return Logger.Level.DEBUG;
      case INFO:
        return Logger.Level.INFO;
      case WARN:
        return Logger.Level.WARNING;
      default:
        return Logger.Level.ERROR;
    }
  }
}
