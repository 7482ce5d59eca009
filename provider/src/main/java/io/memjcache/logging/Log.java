package io.memjcache.logging;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The provider's logger: records go through SLF4J when {@code org.slf4j.LoggerFactory} is on the
 * class path of the provider, through {@code java.util.logging} otherwise. The choice is made once
 * per class loader, when this class is initialised; SLF4J stays optional (nothing of it is loaded
 * unless it is there). Logger names are the logging class's name, under {@code io.memjcache}.
 *
 * <p>Messages given as a {@link Supplier} are built only when their level is enabled.
 */
public final class Log {

  private static final LogBackend BACKEND = LogBackend.select(Log.class.getClassLoader());

  private final LogSink sink;

  private Log(LogSink sink) {
    this.sink = sink;
  }

  /** The logger named after {@code type}. */
  public static Log of(Class<?> type) {
    return named(type.getName());
  }

  /** The logger of that name (spymemcached names its own). */
  public static Log named(String name) {
    return new Log(BACKEND.sink(name));
  }

  /** The backend in use in this class loader: {@code "SLF4J"} or {@code "JUL"}. */
  public static String backend() {
    return BACKEND.name();
  }

  public boolean enabled(LogLevel level) {
    return sink.enabled(level);
  }

  /** Publishes if {@code level} is enabled; {@code thrown} may be null. */
  public void log(LogLevel level, String message, @Nullable Throwable thrown) {
    if (sink.enabled(level)) {
      sink.publish(level, message, thrown);
    }
  }

  public void warning(Supplier<String> message) {
    lazily(LogLevel.WARNING, message);
  }

  public void warning(String message, Throwable thrown) {
    log(LogLevel.WARNING, message, thrown);
  }

  public void info(Supplier<String> message) {
    lazily(LogLevel.INFO, message);
  }

  public void fine(Supplier<String> message) {
    lazily(LogLevel.FINE, message);
  }

  public void fine(String message, Throwable thrown) {
    log(LogLevel.FINE, message, thrown);
  }

  private void lazily(LogLevel level, Supplier<String> message) {
    if (sink.enabled(level)) {
      sink.publish(level, message.get(), null);
    }
  }
}
