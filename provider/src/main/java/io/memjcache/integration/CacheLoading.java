package io.memjcache.integration;

import java.util.Map;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import org.jspecify.annotations.Nullable;

/** The cache's {@link CacheLoader}, with its exceptions turned into {@link CacheLoaderException}s. */
public final class CacheLoading<K, V> {

  private final @Nullable CacheLoader<K, V> loader;

  private CacheLoading(@Nullable CacheLoader<K, V> loader) {
    this.loader = loader;
  }

  /** Builds the loader the configuration names, or one that is absent. */
  public static <K, V> CacheLoading<K, V> of(CompleteConfiguration<K, V> configuration) {
    Factory<javax.cache.integration.CacheLoader<K, V>> factory = configuration.getCacheLoaderFactory();
    return new CacheLoading<>(factory == null ? null : factory.create());
  }

  public boolean isPresent() {
    return loader != null;
  }

  public @Nullable CacheLoader<K, V> loader() {
    return loader;
  }

  public V load(K key) {
    CacheLoader<K, V> present = present();
    try {
      return present.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("CacheLoader.load(" + key + ") failed", e);
    }
  }

  public Map<K, V> loadAll(Iterable<? extends K> keys) {
    CacheLoader<K, V> present = present();
    try {
      return present.loadAll(keys);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("CacheLoader.loadAll failed", e);
    }
  }

  /** The loader; callers check {@link #isPresent()} first, so a missing one is a bug of ours. */
  private CacheLoader<K, V> present() {
    if (loader == null) {
      throw new IllegalStateException("no CacheLoader is configured");
    }
    return loader;
  }
}
