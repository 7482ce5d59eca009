package io.memjcache;

import io.memjcache.cluster.ItemStore;
import io.memjcache.cluster.StoredItem;
import io.memjcache.codec.EncodedKey;
import io.memjcache.codec.EntryCodec;
import io.memjcache.event.EventDispatcher;
import io.memjcache.event.Events;
import io.memjcache.logging.Log;
import io.memjcache.management.CacheConfigurationBean;
import io.memjcache.management.CacheStatistics;
import io.memjcache.management.JmxRegistration;
import io.memjcache.processor.Current;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CompletionListener;
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

  private static final Log LOG = Log.of(MemcachedCache.class);

  private final MemcachedCacheManager manager;
  private final String name;
  private final MutableConfiguration<K, V> configuration;
  private final CacheCore<K, V> core;
  private final EntryInvoker<K, V> invoker;
  private final EntryWrites<K, V> writes;
  private final CacheGeneration generation;
  private volatile boolean closed;

  MemcachedCache(MemcachedCacheManager manager, String name, MutableConfiguration<K, V> configuration,
      ItemStore store, EntryCodec<K, V> codec, CacheGeneration generation) {
    this.manager = manager;
    this.generation = generation;
    this.name = name;
    this.configuration = configuration;
    EventDispatcher<K, V> dispatcher = new EventDispatcher<>(this);
    for (CacheEntryListenerConfiguration<K, V> listener : configuration.getCacheEntryListenerConfigurations()) {
      dispatcher.register(listener);
    }
    this.core = new CacheCore<>(configuration, store, codec, dispatcher);
    this.invoker = new EntryInvoker<>(core);
    this.writes = new EntryWrites<>(core);
    setStatisticsEnabled(configuration.isStatisticsEnabled());
    setManagementEnabled(configuration.isManagementEnabled());
  }

  // ---------------------------------------------------------------- reads

  @Override
  public V get(K key) {
    ensureOpen();
    requireKey(key);
    long start = System.nanoTime();
    EncodedKey<K> k = core.codec.encodeKey(key);
    long now = System.currentTimeMillis();
    Current<K> current = core.updater.read(k, now);
    Events<K, V> events = core.dispatcher.events();
    core.noticeExpired(current, events, true);
    V value;
    if (current.present()) {
      value = core.codec.value(current.envelope());
      core.stats.hits(1);
      core.touch(current, events);
    } else {
      core.stats.misses(1);
      value = core.readThrough(current, events);
    }
    events.fire();
    core.stats.getTime(start);
    return value;
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    ensureOpen();
    requireKeys(keys);
    long start = System.nanoTime();
    Map<String, EncodedKey<K>> byMemcachedKey = new LinkedHashMap<>(capacityFor(keys.size()));
    for (K key : keys) {
      EncodedKey<K> k = core.codec.encodeKey(key);
      byMemcachedKey.put(k.memcachedKey(), k);
    }
    Map<String, StoredItem> items = core.store.getAll(byMemcachedKey.keySet());
    long now = System.currentTimeMillis();
    Events<K, V> events = core.dispatcher.events();
    Map<K, V> result = new LinkedHashMap<>(capacityFor(byMemcachedKey.size()));
    List<Current<K>> missing = new ArrayList<>();
    for (EncodedKey<K> k : byMemcachedKey.values()) {
      Current<K> current = core.updater.current(k, items.get(k.memcachedKey()), now);
      core.noticeExpired(current, events, true);
      if (current.present()) {
        result.put(k.key(), core.codec.value(current.envelope()));
        core.touch(current, events);
      } else {
        missing.add(current);
      }
    }
    core.stats.hits(result.size());
    core.stats.misses(missing.size());
    if (core.readsThrough() && !missing.isEmpty()) {
      result.putAll(core.loadAndStore(missing, events));
    }
    events.fire();
    core.stats.getTime(start);
    return result;
  }

  @Override
  public boolean containsKey(K key) {
    ensureOpen();
    requireKey(key);
    Current<K> current = core.updater.read(core.codec.encodeKey(key), System.currentTimeMillis());
    Events<K, V> events = core.dispatcher.events();
    core.noticeExpired(current, events, true);
    events.fire();
    return current.present();
  }

  @Override
  public void loadAll(Set<? extends K> keys, boolean replaceExistingValues,
      CompletionListener completionListener) {
    ensureOpen();
    requireKeys(keys);
    CompletionListener listener = completionListener == null ? NO_COMPLETION : completionListener;
    if (!core.loading.isPresent()) {
      listener.onCompletion();
      return;
    }
    manager.executor().execute(() -> {
      try {
        Set<K> toLoad = new HashSet<>();
        for (K key : keys) {
          if (replaceExistingValues || !containsKey(key)) {
            toLoad.add(key);
          }
        }
        Map<K, V> loaded = toLoad.isEmpty() ? Map.of() : core.loading.loadAll(toLoad);
        Events<K, V> events = core.dispatcher.events();
        for (Map.Entry<K, V> e : loaded.entrySet()) {
          if (e.getKey() != null && e.getValue() != null) {
            core.storeLoaded(e.getKey(), e.getValue(), events);
          }
        }
        events.fire();
        listener.onCompletion();
      } catch (Exception e) {
        listener.onException(e instanceof CacheLoaderException ? e : new CacheLoaderException(e));
      }
    });
  }

  // ---------------------------------------------------------------- writes

  @Override
  public void put(K key, V value) {
    ensureOpen();
    requireKey(key);
    requireValue(value);
    writes.put(key, value);
  }

  @Override
  public V getAndPut(K key, V value) {
    ensureOpen();
    requireKey(key);
    requireValue(value);
    return writes.getAndPut(key, value);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    ensureOpen();
    if (map == null) {
      throw new NullPointerException("map must not be null");
    }
    for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
      requireKey(e.getKey());
      requireValue(e.getValue());
    }
    writes.putAll(map);
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    ensureOpen();
    requireKey(key);
    requireValue(value);
    return writes.putIfAbsent(key, value);
  }

  @Override
  public boolean remove(K key) {
    ensureOpen();
    requireKey(key);
    return writes.remove(key);
  }

  @Override
  public boolean remove(K key, V oldValue) {
    ensureOpen();
    requireKey(key);
    requireValue(oldValue);
    return writes.remove(key, oldValue);
  }

  @Override
  public V getAndRemove(K key) {
    ensureOpen();
    requireKey(key);
    return writes.getAndRemove(key);
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    ensureOpen();
    requireKey(key);
    requireValue(oldValue);
    requireValue(newValue);
    return writes.replace(key, oldValue, newValue);
  }

  @Override
  public boolean replace(K key, V value) {
    ensureOpen();
    requireKey(key);
    requireValue(value);
    return writes.getAndReplace(key, value, false) != null;
  }

  @Override
  public V getAndReplace(K key, V value) {
    ensureOpen();
    requireKey(key);
    requireValue(value);
    return writes.getAndReplace(key, value, true);
  }

  /** Replaces an existing entry; returns its old value, or a non-null marker when not asked for. */
  @SuppressWarnings("unchecked")
  @Override
  public void removeAll(Set<? extends K> keys) {
    ensureOpen();
    requireKeys(keys);
    List<EncodedKey<K>> encoded = new ArrayList<>();
    keys.forEach(k -> encoded.add(core.codec.encodeKey(k)));
    writes.removeThroughWriter(encoded);
  }

  @Override
  public void removeAll() {
    ensureOpen();
    writes.removeAll();
  }

  /**
   * No writer, no events, no statistics (JSR-107 section 4.1.8). The cache moves to a new
   * generation of keys ({@link CacheGeneration}): a few round trips and about two operation
   * timeouts of waiting, whatever the cache holds; the old items are left to memcached's LRU.
   */
  @Override
  public void clear() {
    ensureOpen();
    generation.clear();
  }

  /** The memcached key of {@code key} now (its generation's), for tests and tools that look at the servers. */
  String memcachedKeyOf(K key) {
    return core.codec.encodeKey(key).memcachedKey();
  }

  // ---------------------------------------------------------------- entry processors

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    ensureOpen();
    requireKey(key);
    if (entryProcessor == null) {
      throw new NullPointerException("entryProcessor must not be null");
    }
    return invoker.invoke(key, entryProcessor, arguments);
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys,
      EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    ensureOpen();
    requireKeys(keys);
    if (entryProcessor == null) {
      throw new NullPointerException("entryProcessor must not be null");
    }
    return invoker.invokeAll(keys, entryProcessor, arguments);
  }

  // ---------------------------------------------------------------- iteration

  @Override
  public Iterator<Entry<K, V>> iterator() {
    ensureOpen();
    return new CacheIterator<>(core, this::ensureOpen, this::remove);
  }

  // ---------------------------------------------------------------- identity, configuration, lifecycle

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
    if (listenerConfiguration == null) {
      throw new NullPointerException("listener configuration must not be null");
    }
    core.dispatcher.register(listenerConfiguration);
    configuration.addCacheEntryListenerConfiguration(listenerConfiguration);
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    ensureOpen();
    if (listenerConfiguration == null) {
      throw new NullPointerException("listener configuration must not be null");
    }
    core.dispatcher.deregister(listenerConfiguration);
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
    JmxRegistration.unregister(JmxRegistration.Kind.CONFIGURATION, managerName(), name);
    JmxRegistration.unregister(JmxRegistration.Kind.STATISTICS, managerName(), name);
    core.dispatcher.close();
    closeQuietly(core.expiry.policy());
    closeQuietly(core.loading.loader());
    closeQuietly(core.writing.writer());
  }

  /** The statistics of this cache in this JVM (also when not exposed in JMX). */
  public CacheStatistics statistics() {
    return core.stats;
  }

  void setStatisticsEnabled(boolean enabled) {
    configuration.setStatisticsEnabled(enabled);
    core.stats.setEnabled(enabled);
    if (enabled) {
      JmxRegistration.register(JmxRegistration.Kind.STATISTICS, managerName(), name, core.stats,
          javax.cache.management.CacheStatisticsMXBean.class);
    } else {
      JmxRegistration.unregister(JmxRegistration.Kind.STATISTICS, managerName(), name);
    }
  }

  void setManagementEnabled(boolean enabled) {
    configuration.setManagementEnabled(enabled);
    if (enabled) {
      JmxRegistration.register(JmxRegistration.Kind.CONFIGURATION, managerName(), name,
          new CacheConfigurationBean(configuration), javax.cache.management.CacheMXBean.class);
    } else {
      JmxRegistration.unregister(JmxRegistration.Kind.CONFIGURATION, managerName(), name);
    }
  }

  // ---------------------------------------------------------------- helpers

  private String managerName() {
    return manager.getURI().toString();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("cache " + name + " is closed");
    }
  }

  private void requireKey(K key) {
    if (key == null) {
      throw new NullPointerException("key must not be null");
    }
    Class<K> type = configuration.getKeyType();
    if (type != Object.class && !type.isInstance(key)) {
      throw new ClassCastException("key " + key.getClass().getName() + " is not a " + type.getName());
    }
  }

  private void requireValue(V value) {
    if (value == null) {
      throw new NullPointerException("value must not be null");
    }
    Class<V> type = configuration.getValueType();
    if (type != Object.class && !type.isInstance(value)) {
      throw new ClassCastException("value " + value.getClass().getName() + " is not a " + type.getName());
    }
  }

  private void requireKeys(Set<? extends K> keys) {
    if (keys == null) {
      throw new NullPointerException("keys must not be null");
    }
    for (K key : keys) {
      requireKey(key);
    }
  }

  /** A hash map capacity that holds {@code n} entries without resizing (load factor 0.75). */
  static int capacityFor(int n) {
    return n < 3 ? n + 1 : (int) Math.min(Integer.MAX_VALUE, n / 3L * 4 + 4);
  }

  private static void closeQuietly(Object o) {
    if (o instanceof Closeable) {
      try {
        ((Closeable) o).close();
      } catch (Exception e) {
        LOG.warning("closing " + o + " failed", e);
      }
    }
  }

  private static final CompletionListener NO_COMPLETION = new CompletionListener() {
    @Override
    public void onCompletion() {}

    @Override
    public void onException(Exception e) {
      LOG.warning("loadAll failed", e);
    }
  };

  @Override
  public String toString() {
    return "MemcachedCache[" + name + " on " + manager.getURI() + "]";
  }

  static <K, V> MutableConfiguration<K, V> copyOf(Configuration<K, V> configuration) {
    if (configuration instanceof CompleteConfiguration) {
      return new MutableConfiguration<>((CompleteConfiguration<K, V>) configuration);
    }
    MutableConfiguration<K, V> copy = new MutableConfiguration<>();
    copy.setTypes(configuration.getKeyType(), configuration.getValueType());
    copy.setStoreByValue(configuration.isStoreByValue());
    return copy;
  }
}
