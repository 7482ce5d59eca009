package io.memjcache;

import io.memjcache.cluster.ItemStore;
import io.memjcache.cluster.ItemWrite;
import io.memjcache.cluster.StoredItem;
import io.memjcache.codec.EncodedKey;
import io.memjcache.codec.EntryCodec;
import io.memjcache.event.EventDispatcher;
import io.memjcache.event.Events;
import io.memjcache.expiry.ExpiryTimes;
import io.memjcache.management.CacheConfigurationBean;
import io.memjcache.management.CacheStatistics;
import io.memjcache.management.JmxRegistration;
import io.memjcache.processor.Current;
import io.memjcache.processor.Decision;
import io.memjcache.processor.EntryUpdater.Committed;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
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

  private static final Logger LOG = Logger.getLogger(MemcachedCache.class.getName());

  private final MemcachedCacheManager manager;
  private final String name;
  private final MutableConfiguration<K, V> configuration;
  private final CacheCore<K, V> core;
  private final EntryInvoker<K, V> invoker;
  private volatile boolean closed;

  MemcachedCache(MemcachedCacheManager manager, String name, MutableConfiguration<K, V> configuration,
      ItemStore store, EntryCodec<K, V> codec) {
    this.manager = manager;
    this.name = name;
    this.configuration = configuration;
    EventDispatcher<K, V> dispatcher = new EventDispatcher<>(this);
    for (CacheEntryListenerConfiguration<K, V> listener : configuration.getCacheEntryListenerConfigurations()) {
      dispatcher.register(listener);
    }
    this.core = new CacheCore<>(configuration, store, codec, dispatcher);
    this.invoker = new EntryInvoker<>(core);
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
    Map<String, EncodedKey<K>> byMemcachedKey = new LinkedHashMap<>();
    for (K key : keys) {
      EncodedKey<K> k = core.codec.encodeKey(key);
      byMemcachedKey.put(k.memcachedKey(), k);
    }
    Map<String, StoredItem> items = core.store.getAll(byMemcachedKey.keySet());
    long now = System.currentTimeMillis();
    Events<K, V> events = core.dispatcher.events();
    Map<K, V> result = new LinkedHashMap<>();
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
    long start = System.nanoTime();
    core.writing.write(new SimpleEntry<>(key, value));
    Events<K, V> events = core.dispatcher.events();
    boolean stored = core.storeValue(core.codec.encodeKey(key), value, events);
    events.fire();
    core.stats.puts(stored ? 1 : 0, start);
  }

  @Override
  public V getAndPut(K key, V value) {
    ensureOpen();
    requireKey(key);
    requireValue(value);
    long start = System.nanoTime();
    core.writing.write(new SimpleEntry<>(key, value));
    byte[] valueBytes = core.codec.encodeValue(value);
    Committed<K, Boolean> c = core.updater.update(core.codec.encodeKey(key),
        cur -> Decision.put(valueBytes, core.writeExpiry(cur), cur.present()));
    V old = core.oldValue(c.before());
    Events<K, V> events = core.dispatcher.events();
    core.noticeExpired(c.before(), events, false);
    core.writeEvents(c, value, events);
    events.fire();
    core.stats.hitOrMiss(old != null);
    core.stats.puts(c.stored() ? 1 : 0, start);
    core.stats.getTime(start);
    return old;
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
    long start = System.nanoTime();
    Collection<Cache.Entry<? extends K, ? extends V>> toWrite = new ArrayList<>();
    map.forEach((k, v) -> toWrite.add(new SimpleEntry<K, V>(k, v)));
    RuntimeException writerFailure = null;
    try {
      core.writing.writeAll(toWrite);
      toWrite.clear();
    } catch (RuntimeException e) {
      writerFailure = e; // what the writer left in toWrite was not written: do not cache it
    }
    Set<Object> unwritten = new HashSet<>();
    toWrite.forEach(e -> unwritten.add(e.getKey()));
    Map<K, V> accepted = new LinkedHashMap<>();
    map.forEach((k, v) -> {
      if (!unwritten.contains(k)) {
        accepted.put(k, v);
      }
    });
    Events<K, V> events = core.dispatcher.events();
    int stored = 0;
    if (core.canWriteBlindly()) {
      long now = System.currentTimeMillis();
      long expiresAt = core.expiry.onCreation(now);
      List<ItemWrite> writes = new ArrayList<>(accepted.size());
      List<String> deletes = new ArrayList<>();
      for (Map.Entry<K, V> e : accepted.entrySet()) {
        EncodedKey<K> k = core.codec.encodeKey(e.getKey());
        if (expiresAt <= now) {
          deletes.add(k.memcachedKey());
        } else {
          writes.add(new ItemWrite(k.memcachedKey(), ExpiryTimes.exptime(expiresAt, now),
              core.codec.envelope(k, core.codec.encodeValue(e.getValue()), expiresAt)));
        }
      }
      core.store.setAll(writes);
      core.store.deleteAll(deletes);
      stored = writes.size();
    } else {
      for (Map.Entry<K, V> e : accepted.entrySet()) {
        stored += core.storeValue(core.codec.encodeKey(e.getKey()), e.getValue(), events) ? 1 : 0;
      }
    }
    events.fire();
    core.stats.puts(stored, start);
    if (writerFailure != null) {
      throw writerFailure;
    }
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    ensureOpen();
    requireKey(key);
    requireValue(value);
    long start = System.nanoTime();
    byte[] valueBytes = core.codec.encodeValue(value);
    Committed<K, Boolean> c = core.updater.update(core.codec.encodeKey(key), cur -> {
      if (cur.present()) {
        return Decision.none(false);
      }
      core.writing.write(new SimpleEntry<>(key, value));
      return Decision.put(valueBytes, core.expiry.onCreation(cur.now()), true);
    });
    Events<K, V> events = core.dispatcher.events();
    core.noticeExpired(c.before(), events, !c.result());
    if (c.result()) {
      core.writeEvents(c, value, events);
      core.stats.misses(1);
      core.stats.puts(c.stored() ? 1 : 0, start);
    } else {
      core.stats.hits(1);
    }
    events.fire();
    return c.result();
  }

  @Override
  public boolean remove(K key) {
    ensureOpen();
    requireKey(key);
    long start = System.nanoTime();
    core.writing.delete(key);
    EncodedKey<K> k = core.codec.encodeKey(key);
    boolean removed;
    if (core.expiry.isEternal() && !core.dispatcher.hasListeners()) {
      removed = core.store.delete(k.memcachedKey());
    } else {
      Committed<K, Boolean> c = core.updater.update(k,
          cur -> cur.present() ? Decision.remove(true) : Decision.none(false));
      removed = c.result();
      Events<K, V> events = core.dispatcher.events();
      core.noticeExpired(c.before(), events, true);
      if (removed) {
        events.removed(key, core.oldValue(c.before()));
      }
      events.fire();
    }
    if (removed) {
      core.stats.removals(1, start);
    }
    return removed;
  }

  @Override
  public boolean remove(K key, V oldValue) {
    ensureOpen();
    requireKey(key);
    requireValue(oldValue);
    long start = System.nanoTime();
    byte[] oldBytes = core.codec.encodeValue(oldValue);
    Committed<K, Outcome> c = core.updater.update(core.codec.encodeKey(key), cur -> {
      if (!cur.present()) {
        return Decision.none(Outcome.ABSENT);
      }
      if (!core.holds(cur, oldBytes, oldValue)) {
        return Decision.none(Outcome.MISMATCH);
      }
      core.writing.delete(key);
      return Decision.remove(Outcome.DONE);
    });
    Events<K, V> events = core.dispatcher.events();
    core.noticeExpired(c.before(), events, true);
    if (c.result() == Outcome.DONE) {
      events.removed(key, core.oldValue(c.before()));
      core.stats.removals(1, start);
    } else if (c.result() == Outcome.MISMATCH) {
      core.touch(c.before(), events);
    }
    core.stats.hitOrMiss(c.result() != Outcome.ABSENT);
    events.fire();
    return c.result() == Outcome.DONE;
  }

  @Override
  public V getAndRemove(K key) {
    ensureOpen();
    requireKey(key);
    long start = System.nanoTime();
    core.writing.delete(key);
    Committed<K, Boolean> c = core.updater.update(core.codec.encodeKey(key),
        cur -> cur.present() ? Decision.remove(true) : Decision.none(false));
    V old = core.oldValue(c.before());
    Events<K, V> events = core.dispatcher.events();
    core.noticeExpired(c.before(), events, true);
    if (c.result()) {
      events.removed(key, old);
      core.stats.removals(1, start);
    }
    core.stats.hitOrMiss(c.result());
    core.stats.getTime(start);
    events.fire();
    return c.result() ? old : null;
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    ensureOpen();
    requireKey(key);
    requireValue(oldValue);
    requireValue(newValue);
    long start = System.nanoTime();
    byte[] oldBytes = core.codec.encodeValue(oldValue);
    byte[] newBytes = core.codec.encodeValue(newValue);
    Committed<K, Outcome> c = core.updater.update(core.codec.encodeKey(key), cur -> {
      if (!cur.present()) {
        return Decision.none(Outcome.ABSENT);
      }
      if (!core.holds(cur, oldBytes, oldValue)) {
        return Decision.none(Outcome.MISMATCH);
      }
      core.writing.write(new SimpleEntry<>(key, newValue));
      return Decision.put(newBytes, core.writeExpiry(cur), Outcome.DONE);
    });
    Events<K, V> events = core.dispatcher.events();
    core.noticeExpired(c.before(), events, true);
    if (c.result() == Outcome.DONE) {
      core.writeEvents(c, newValue, events);
      core.stats.puts(c.stored() ? 1 : 0, start);
    } else if (c.result() == Outcome.MISMATCH) {
      core.touch(c.before(), events);
    }
    core.stats.hitOrMiss(c.result() != Outcome.ABSENT);
    events.fire();
    return c.result() == Outcome.DONE;
  }

  @Override
  public boolean replace(K key, V value) {
    return getAndReplace(key, value, false) != null;
  }

  @Override
  public V getAndReplace(K key, V value) {
    return getAndReplace(key, value, true);
  }

  /** Replaces an existing entry; returns its old value, or a non-null marker when not asked for. */
  @SuppressWarnings("unchecked")
  private V getAndReplace(K key, V value, boolean wantOld) {
    ensureOpen();
    requireKey(key);
    requireValue(value);
    long start = System.nanoTime();
    byte[] valueBytes = core.codec.encodeValue(value);
    Committed<K, Boolean> c = core.updater.update(core.codec.encodeKey(key), cur -> {
      if (!cur.present()) {
        return Decision.none(false);
      }
      core.writing.write(new SimpleEntry<>(key, value));
      return Decision.put(valueBytes, core.writeExpiry(cur), true);
    });
    Events<K, V> events = core.dispatcher.events();
    core.noticeExpired(c.before(), events, true);
    V old = null;
    if (c.result()) {
      old = wantOld ? core.oldValue(c.before()) : null;
      core.writeEvents(c, value, events);
      core.stats.puts(c.stored() ? 1 : 0, start);
    }
    core.stats.hitOrMiss(c.result());
    if (wantOld) {
      core.stats.getTime(start);
    }
    events.fire();
    if (!c.result()) {
      return null;
    }
    return wantOld ? old : (V) Boolean.TRUE;
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    ensureOpen();
    requireKeys(keys);
    List<EncodedKey<K>> encoded = new ArrayList<>();
    keys.forEach(k -> encoded.add(core.codec.encodeKey(k)));
    removeThroughWriter(encoded);
  }

  @Override
  public void removeAll() {
    ensureOpen();
    List<EncodedKey<K>> encoded = new ArrayList<>();
    core.listEntries().forEach(e -> encoded.add(e.getKey()));
    removeThroughWriter(encoded);
  }

  /**
   * Deletes keys through the writer, then from the cache: the keys a failing writer left undeleted
   * stay cached, the rest are removed, and the writer's exception is rethrown (JSR-107 9.2.2).
   */
  private void removeThroughWriter(List<EncodedKey<K>> keys) {
    List<K> toDelete = new ArrayList<>();
    keys.forEach(k -> toDelete.add(k.key()));
    RuntimeException writerFailure = null;
    try {
      core.writing.deleteAll(toDelete);
      toDelete.clear();
    } catch (RuntimeException e) {
      writerFailure = e;
    }
    Set<Object> kept = new HashSet<>(toDelete);
    for (EncodedKey<K> key : keys) {
      if (!kept.contains(key.key())) {
        core.removeWithoutWriter(key);
      }
    }
    if (writerFailure != null) {
      throw writerFailure;
    }
  }

  @Override
  public void clear() {
    ensureOpen();
    core.store.deleteAll(core.store.keys(core.codec.keys().prefix()));
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

  /** How a conditional operation found its entry. */
  private enum Outcome {
    ABSENT,
    MISMATCH,
    DONE
  }

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

  private static void closeQuietly(Object o) {
    if (o instanceof Closeable) {
      try {
        ((Closeable) o).close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "closing " + o + " failed", e);
      }
    }
  }

  private static final CompletionListener NO_COMPLETION = new CompletionListener() {
    @Override
    public void onCompletion() {}

    @Override
    public void onException(Exception e) {
      LOG.log(Level.WARNING, "loadAll failed", e);
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
