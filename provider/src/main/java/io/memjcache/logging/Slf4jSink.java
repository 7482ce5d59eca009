package io.memjcache.logging;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SLF4J logger. Only loaded when {@link LogBackend#select} found SLF4J, so the provider runs
 * without it. Uses only calls SLF4J 1.7 has as well.
 */
final class Slf4jSink implements LogSink {

  private final Logger logger;

  Slf4jSink(String name) {
    this(LoggerFactory.getLogger(name));
  }

  Slf4jSink(Logger logger) {
    this.logger = logger;
  }

  @Override
  public boolean enabled(LogLevel level) {
    switch (level) {
      case TRACE:
        return logger.isTraceEnabled();
      case FINE:
        return logger.isDebugEnabled();
      case INFO:
        return logger.isInfoEnabled();
      case WARNING:
        return logger.isWarnEnabled();
      default:
        return logger.isErrorEnabled();
    }
  }

  @Override
  public void publish(LogLevel level, String message, @Nullable Throwable thrown) {
    switch (level) {
      case TRACE:
        logger.trace(message, thrown);
        break;
      case FINE:
        logger.debug(message, thrown);
        break;
      case INFO:
        logger.info(message, thrown);
        break;
      case WARNING:
        logger.warn(message, thrown);
        break;
      default:
        logger.error(message, thrown);
    }
  }
}
