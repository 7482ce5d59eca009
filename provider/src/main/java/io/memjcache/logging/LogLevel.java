package io.memjcache.logging;

/** The levels the provider logs at, named as in {@code java.util.logging}; each backend maps them. */
public enum LogLevel {
  /** SLF4J trace, JUL FINEST. */
  TRACE,
  /** SLF4J debug, JUL FINE. */
  FINE,
  /** SLF4J info, JUL INFO. */
  INFO,
  /** SLF4J warn, JUL WARNING. */
  WARNING,
  /** SLF4J error, JUL SEVERE. */
  ERROR
}
