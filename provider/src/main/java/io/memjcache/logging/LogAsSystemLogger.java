package io.memjcache.logging;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Log} behind the {@link System.Logger} interface the cluster layer logs with. Levels map
 * as {@link LogLevel} documents ({@code DEBUG} is {@link LogLevel#FINE}; {@code ALL} logs as
 * {@link LogLevel#TRACE}, {@code OFF} never). The cluster layer passes no resource bundles: messages
 * are published as given, formatted with {@link MessageFormat} only when parameters come with them.
 */
final class LogAsSystemLogger implements System.Logger {

  private final String name;
  private final Log log;

  LogAsSystemLogger(String name, Log log) {
    this.name = name;
    this.log = log;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public boolean isLoggable(Level level) {
    LogLevel mapped = levelOf(level);
    return mapped != null && log.enabled(mapped);
  }

  @Override
  public void log(Level level, @Nullable ResourceBundle bundle, @Nullable String msg,
      @Nullable Throwable thrown) {
    LogLevel mapped = levelOf(level);
    if (mapped != null) {
      log.log(mapped, String.valueOf(msg), thrown);
    }
  }

  @Override
  public void log(Level level, @Nullable ResourceBundle bundle, @Nullable String format,
      @Nullable Object... params) {
    LogLevel mapped = levelOf(level);
    if (mapped != null && log.enabled(mapped)) {
      String text = params == null || params.length == 0
          ? String.valueOf(format) : MessageFormat.format(String.valueOf(format), params);
      log.log(mapped, text, null);
    }
  }

  static @Nullable LogLevel levelOf(Level level) {
    switch (level) {
      case ALL:
      case TRACE:
        return LogLevel.TRACE;
      case DEBUG:
        return LogLevel.FINE;
      case INFO:
        return LogLevel.INFO;
      case WARNING:
        return LogLevel.WARNING;
      case ERROR:
        return LogLevel.ERROR;
      default:
        return null; // OFF
    }
  }
}
