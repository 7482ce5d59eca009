package io.memjcache.logging;

/** The logging library the provider's records go to, as Java libraries choose it. */
enum LogBackend {
  /** SLF4J, whenever {@code org.slf4j.LoggerFactory} is visible: the application chose it. */
  SLF4J {
    @Override
    LogSink sink(String name) {
      return new Slf4jSink(name);
    }
  },
  /** {@code java.util.logging}, always there. */
  JUL {
    @Override
    LogSink sink(String name) {
      return new JulSink(name);
    }
  };

  abstract LogSink sink(String name);

  /** SLF4J if {@code loader} sees {@code org.slf4j.LoggerFactory}, JUL otherwise. */
  static LogBackend select(ClassLoader loader) {
    try {
      Class.forName("org.slf4j.LoggerFactory", false, loader);
      return SLF4J;
    } catch (ClassNotFoundException | LinkageError e) {
      return JUL;
    }
  }
}
