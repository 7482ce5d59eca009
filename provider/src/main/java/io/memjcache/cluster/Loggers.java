package io.memjcache.cluster;

import java.util.ServiceLoader;

/** The loggers of this package, through the {@link LogRoute} found once per class loader. */
final class Loggers {

  private static final LogRoute ROUTE = ServiceLoader.load(LogRoute.class, LogRoute.class.getClassLoader())
      .findFirst().orElse(System::getLogger);

  private Loggers() {}

  /** The logger named after {@code type}. */
  static System.Logger of(Class<?> type) {
    return named(type.getName());
  }

  /** The logger of that name (spymemcached names its own). */
  static System.Logger named(String name) {
    return ROUTE.logger(name);
  }
}
