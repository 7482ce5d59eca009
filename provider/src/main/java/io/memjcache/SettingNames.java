package io.memjcache;

import io.memjcache.config.CacheDeclarations;
import io.memjcache.config.Settings;
import java.util.Set;

/**
 * The names of the provider's settings, for an integration that gathers them from elsewhere (a
 * Spring Environment, say) and hands them to the provider as the manager's properties. What each
 * one means: docs/configuration.md. A name outside these is refused by the provider.
 */
public final class SettingNames {

  /** The prefix of the settings of one cache or cache name pattern ({@code memjcache.cache.<name>.expiry}). */
  public static final String CACHE_PREFIX = CacheDeclarations.PREFIX;

  private SettingNames() {}

  /** The names of the manager-wide settings ({@code memjcache.servers}, {@code memjcache.copies}...). */
  public static Set<String> managerWide() {
    return Settings.names();
  }
}
