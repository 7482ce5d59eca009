package io.memjcache.integration;

import java.util.Collection;
import javax.cache.Cache;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import org.jspecify.annotations.Nullable;

/**
 * Write-through: calls the cache's {@link CacheWriter} before the cache changes, so a writer that
 * fails leaves the cache as it was (JSR-107 section 9.2). Does nothing unless write-through is on.
 */
public final class CacheWriting<K, V> {

  private final @Nullable CacheWriter<K, V> writer;

  private CacheWriting(@Nullable CacheWriter<K, V> writer) {
    this.writer = writer;
  }

  public static <K, V> CacheWriting<K, V> of(CompleteConfiguration<K, V> configuration) {
    Factory<CacheWriter<? super K, ? super V>> factory = configuration.getCacheWriterFactory();
    boolean on = configuration.isWriteThrough() && factory != null;
    @SuppressWarnings("unchecked") // a writer of supertypes accepts our keys and values
    CacheWriter<K, V> writer = on ? (CacheWriter<K, V>) factory.create() : null;
    return new CacheWriting<>(writer);
  }

  public boolean isEnabled() {
    return writer != null;
  }

  public @Nullable CacheWriter<K, V> writer() {
    return writer;
  }

  public void write(Cache.Entry<K, V> entry) {
    if (writer != null) {
      run(() -> writer.write(entry));
    }
  }

  /** Writes all; on failure the entries left in {@code entries} are those not written. */
  public void writeAll(Collection<Cache.Entry<? extends K, ? extends V>> entries) {
    if (writer != null && !entries.isEmpty()) {
      run(() -> writer.writeAll(entries));
    }
  }

  public void delete(K key) {
    if (writer != null) {
      run(() -> writer.delete(key));
    }
  }

  /** Deletes all; on failure the keys left in {@code keys} are those not deleted. */
  public void deleteAll(Collection<?> keys) {
    if (writer != null && !keys.isEmpty()) {
      run(() -> writer.deleteAll(keys));
    }
  }

  private static void run(Runnable call) {
    try {
      call.run();
    } catch (CacheWriterException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheWriterException("CacheWriter failed: " + e, e);
    }
  }
}
