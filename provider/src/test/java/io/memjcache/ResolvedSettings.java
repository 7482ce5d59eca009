package io.memjcache;

import io.memjcache.config.ClusterSettings;

/**
 * The cluster settings a manager resolved, for tests of other packages: they are no API (an
 * application names settings in properties, files and URIs, never as types), so the manager
 * offers them to its own package only.
 */
public final class ResolvedSettings {

  private ResolvedSettings() {}

  @SuppressWarnings("exports") // tests compile inside the module, where config is not exported
  public static ClusterSettings of(MemcachedCacheManager manager) {
    return manager.settings();
  }
}
