package io.memjcache;

import io.memjcache.cluster.ItemStore;
import io.memjcache.codec.EntryCodec;
import io.memjcache.integration.CacheLoading;
import io.memjcache.integration.CacheWriting;
import io.memjcache.management.CacheStatistics;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CompletionListener;
import javax.cache.management.CacheStatisticsMXBean;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;

/**
 * A JCache {@link Cache} whose entries live in a memcached cluster.
 *
 * <p>Guarantees, per key and across JVMs: conditional operations ({@code putIfAbsent}, both
 * {@code replace}, {@code remove(k, v)}, the {@code getAnd*} family, {@code invoke}) are atomic
 * through memcached CAS; an entry is never returned after its JCache expiry time; values are stored
 * by value. Listeners, statistics, loaders and writers act on this JVM's operations only.
 */
public final class MemcachedCache<K, V> implements Cache<K, V> {

  private final MemcachedCacheManager manager;
  private final String name;
  private final MutableConfiguration<K, V> configuration;
  private final CacheEntries<K, V> entries;
  private final CacheCore<K, V> core;
  private final CacheStatistics stats = new CacheStatistics();
  private final EntryInvoker<K, V> invoker;
  private final EntryReads<K, V> reads;
  private final EntryWrites<K, V> writes;
  private final BulkRemoval<K, V> removals;
  private final CacheArguments<K, V> args;
  private final CacheGeneration generation;
  private final CacheMBeans mbeans;
  private volatile boolean closed;

  MemcachedCache(MemcachedCacheManager manager, String name, MutableConfiguration<K, V> configuration,
      ItemStore store, EntryCodec<K, V> codec, CacheGeneration generation) {
    this.manager = manager;
    this.generation = generation;
    this.name = name;
    this.configuration = configuration;
    CacheLoading<K, V> loading = CacheLoading.of(configuration);
    CacheWriting<K, V> writing = CacheWriting.of(configuration);
    this.entries = new CacheEntries<>(store, codec);
    this.core = new CacheCore<>(this, configuration, entries, loading, writing);
    ReadThrough<K, V> readThrough = new ReadThrough<>(configuration, loading, entries, core);
    this.invoker = new EntryInvoker<>(entries, core, readThrough, stats);
    this.reads = new EntryReads<>(entries, core, readThrough, stats);
    this.writes = new EntryWrites<>(entries, core, writing, stats);
    this.removals = new BulkRemoval<>(entries, core, writing, stats);
    this.args = new CacheArguments<>(configuration);
    this.mbeans = new CacheMBeans(manager.getURI().toString(), name, stats, configuration);
    setStatisticsEnabled(configuration.isStatisticsEnabled());
    setManagementEnabled(configuration.isManagementEnabled());
  }

  @Override
  public V get(K key) {
    openWith(key);
    return reads.get(key);
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    ensureOpen();
    args.requireKeys(keys);
    return reads.getAll(keys);
  }

  @Override
  public boolean containsKey(K key) {
    openWith(key);
    return reads.containsKey(key);
  }

  @Override
  public void loadAll(Set<? extends K> keys, boolean replaceExistingValues,
      CompletionListener completionListener) {
    ensureOpen();
    args.requireKeys(keys);
    reads.loadAll(keys, replaceExistingValues, completionListener, manager.executor());
  }

  @Override
  public void put(K key, V value) {
    openWith(key, value);
    writes.put(key, value);
  }

  @Override
  public V getAndPut(K key, V value) {
    openWith(key, value);
    return writes.getAndPut(key, value);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    ensureOpen();
    args.requireEntries(map);
    writes.putAll(map);
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    openWith(key, value);
    return writes.putIfAbsent(key, value);
  }

  @Override
  public boolean remove(K key) {
    openWith(key);
    return writes.remove(key);
  }

  @Override
  public boolean remove(K key, V oldValue) {
    openWith(key, oldValue);
    return writes.remove(key, oldValue);
  }

  @Override
  public V getAndRemove(K key) {
    openWith(key);
    return writes.getAndRemove(key);
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    openWith(key, oldValue);
    args.requireValue(newValue);
    return writes.replace(key, oldValue, newValue);
  }

  @Override
  public boolean replace(K key, V value) {
    openWith(key, value);
    return writes.getAndReplace(key, value, false) != null;
  }

  @Override
  public V getAndReplace(K key, V value) {
    openWith(key, value);
    return writes.getAndReplace(key, value, true);
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    ensureOpen();
    args.requireKeys(keys);
    removals.removeAll(keys);
  }

  @Override
  public void removeAll() {
    ensureOpen();
    removals.removeAll();
  }

  /** No writer, no events, no statistics (JSR-107 4.1.8): a new generation, see {@link CacheGeneration}. */
  @Override
  public void clear() {
    ensureOpen();
    generation.clear();
  }

  /**
   * The memcached key the entry of {@code key} is stored under now (the cache's generation changes
   * at each {@code clear()}): to find its replicas ({@link io.memjcache.cluster.health.ClusterMXBean#replicasOf})
   * or look at it on a server.
   */
  public String memcachedKeyOf(K key) {
    return entries.key(key).memcachedKey();
  }

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    openWith(key);
    Objects.requireNonNull(entryProcessor, "entryProcessor must not be null");
    return invoker.invoke(key, entryProcessor, arguments);
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys,
      EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    ensureOpen();
    args.requireKeys(keys);
    Objects.requireNonNull(entryProcessor, "entryProcessor must not be null");
    return invoker.invokeAll(keys, entryProcessor, arguments);
  }

  @Override
  public Iterator<Entry<K, V>> iterator() {
    ensureOpen();
    return new CacheIterator<>(entries, core, stats, this::ensureOpen, this::remove);
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
    if (clazz.isInstance(configuration)) {
      return clazz.cast(configuration);
    }
    throw new IllegalArgumentException("the configuration is a " + configuration.getClass().getName()
        + ", not a " + clazz.getName());
  }

  @Override
  public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    ensureOpen();
    Objects.requireNonNull(listenerConfiguration, "listener configuration must not be null");
    core.register(listenerConfiguration);
    configuration.addCacheEntryListenerConfiguration(listenerConfiguration);
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    ensureOpen();
    Objects.requireNonNull(listenerConfiguration, "listener configuration must not be null");
    core.deregister(listenerConfiguration);
    configuration.removeCacheEntryListenerConfiguration(listenerConfiguration);
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isAssignableFrom(getClass())) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("cannot unwrap " + getClass().getName() + " to " + clazz.getName());
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    manager.release(this);
    mbeans.unregister();
    core.close();
  }

  /** The statistics of this cache in this JVM (also when not exposed in JMX). */
  public CacheStatisticsMXBean statistics() {
    return stats;
  }

  void setStatisticsEnabled(boolean enabled) {
    mbeans.statistics(enabled);
  }

  void setManagementEnabled(boolean enabled) {
    mbeans.configuration(enabled);
  }

  private void openWith(K key) {
    ensureOpen();
    args.requireKey(key);
  }

  private void openWith(K key, V value) {
    openWith(key);
    args.requireValue(value);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("cache " + name + " is closed");
    }
  }

  @Override
  public String toString() {
    return "MemcachedCache[" + name + " on " + manager.getURI() + "]";
  }
}
