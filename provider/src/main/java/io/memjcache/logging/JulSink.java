package io.memjcache.logging;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/** A {@code java.util.logging} logger; the record's source class is the logger's name. */
final class JulSink implements LogSink {

  private final Logger logger;

  JulSink(String name) {
    this.logger = Logger.getLogger(name);
  }

  @Override
  public boolean enabled(LogLevel level) {
    return logger.isLoggable(julLevel(level));
  }

  @Override
  public void publish(LogLevel level, String message, @Nullable Throwable thrown) {
    // logp: JUL would otherwise infer this class as the source by walking the stack
    logger.logp(julLevel(level), logger.getName(), null, message, thrown);
  }

  static Level julLevel(LogLevel level) {
    switch (level) {
      case TRACE:
        return Level.FINEST;
      case FINE:
        return Level.FINE;
      case INFO:
        return Level.INFO;
      case WARNING:
        return Level.WARNING;
      default:
        return Level.SEVERE;
    }
  }
}
