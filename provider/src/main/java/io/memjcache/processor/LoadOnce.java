package io.memjcache.processor;

import io.memjcache.integration.CacheLoading;
import org.jspecify.annotations.Nullable;

/**
 * Read-through for one {@code invoke} call: the loader runs at most once, however often a lost CAS
 * race reruns the entry processor. A rerun that finds the entry still absent gets the value loaded
 * before (or the same null), without asking the loader again; a rerun that finds an entry reads it
 * and loads nothing. A loader that throws ends the call, so it is not retried either.
 */
public final class LoadOnce<K, V> {

  private final CacheLoading<K, V> loading;
  private boolean loaded;
  private @Nullable V value;

  public LoadOnce(CacheLoading<K, V> loading) {
    this.loading = loading;
  }

  /** Loads {@code key} the first time; returns that value after. */
  public @Nullable V load(K key) {
    if (!loaded) {
      value = loading.load(key);
      loaded = true;
    }
    return value;
  }
}
