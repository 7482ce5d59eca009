package io.memjcache.logging;

import org.jspecify.annotations.Nullable;

/** One named logger of a logging backend. */
interface LogSink {

  boolean enabled(LogLevel level);

  /** Publishes a record; {@code thrown} may be null. Callers ask {@link #enabled} first. */
  void publish(LogLevel level, String message, @Nullable Throwable thrown);
}
