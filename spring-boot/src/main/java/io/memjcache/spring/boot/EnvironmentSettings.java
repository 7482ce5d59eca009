package io.memjcache.spring.boot;

import io.memjcache.SettingNames;
import java.util.Properties;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * The {@code memjcache.*} settings of the Spring {@link Environment} ({@code application.properties},
 * YAML, command-line arguments...), as the provider reads them.
 *
 * <p>The manager-wide settings are asked for by name, so Spring's relaxed forms count
 * ({@code MEMJCACHE_SERVERS} in the process environment); per-cache settings are taken as written,
 * and YAML's bracket form for names with special characters ({@code memjcache.cache."[users-*]".expiry})
 * becomes {@code memjcache.cache.users-*.expiry}. Values are the Environment's, so placeholders are
 * resolved and the highest-precedence source wins.
 */
final class EnvironmentSettings {

  private EnvironmentSettings() {}

  static void copyTo(Environment environment, Properties target) {
    for (String name : SettingNames.managerWide()) {
      String value = environment.getProperty(name);
      if (value != null) {
        target.setProperty(name, value);
      }
    }
    if (!(environment instanceof ConfigurableEnvironment configurable)) {
      return;
    }
    for (PropertySource<?> source : configurable.getPropertySources()) {
      if (source instanceof EnumerablePropertySource<?> enumerable) {
        for (String name : enumerable.getPropertyNames()) {
          if (name.startsWith(SettingNames.CACHE_PREFIX) || name.startsWith("memjcache.cache[")) {
            target.putIfAbsent(unbracketed(name), environment.getProperty(name));
          }
        }
      }
    }
  }

  /** {@code a.b[c*].d} as {@code a.b.c*.d}: Spring Boot's form for map keys with special characters. */
  static String unbracketed(String name) {
    return name.replace("[", ".").replace("]", "").replace("..", ".");
  }
}
