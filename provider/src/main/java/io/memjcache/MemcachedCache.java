package io.memjcache;

import io.memjcache.cluster.ItemStore;
import io.memjcache.cluster.ItemWrite;
import io.memjcache.cluster.StoredItem;
import io.memjcache.codec.EncodedKey;
import io.memjcache.codec.EntryCodec;
import io.memjcache.codec.Envelope;
import io.memjcache.event.EventDispatcher;
import io.memjcache.event.Events;
import io.memjcache.expiry.ExpiryDecider;
import io.memjcache.expiry.ExpiryTimes;
import io.memjcache.integration.CacheLoading;
import io.memjcache.integration.CacheWriting;
import io.memjcache.management.CacheConfigurationBean;
import io.memjcache.management.CacheStatistics;
import io.memjcache.management.JmxRegistration;
import io.memjcache.processor.Action;
import io.memjcache.processor.Current;
import io.memjcache.processor.Decision;
import io.memjcache.processor.EntryUpdater;
import io.memjcache.processor.EntryUpdater.Committed;
import io.memjcache.processor.MutableEntryImpl;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.EventType;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
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
  private static final int ITERATION_BATCH = 100;

  private final MemcachedCacheManager manager;
  private final String name;
  private final MutableConfiguration<K, V> configuration;
  private final ItemStore store;
  private final EntryCodec<K, V> codec;
  private final EntryUpdater<K, V> updater;
  private final ExpiryDecider expiry;
  private final CacheLoading<K, V> loading;
  private final CacheWriting<K, V> writing;
  private final EventDispatcher<K, V> dispatcher;
  private final CacheStatistics statistics = new CacheStatistics();
  private volatile boolean statisticsEnabled;
  private volatile boolean closed;

  MemcachedCache(MemcachedCacheManager manager, String name, MutableConfiguration<K, V> configuration,
      ItemStore store, EntryCodec<K, V> codec) {
    this.manager = manager;
    this.name = name;
    this.configuration = configuration;
    this.store = store;
    this.codec = codec;
    this.updater = new EntryUpdater<>(store, codec);
    this.expiry = new ExpiryDecider(configuration.getExpiryPolicyFactory().create());
    this.loading = CacheLoading.of(configuration);
    this.writing = CacheWriting.of(configuration);
    this.dispatcher = new EventDispatcher<>(this);
    for (CacheEntryListenerConfiguration<K, V> listener : configuration.getCacheEntryListenerConfigurations()) {
      dispatcher.register(listener);
    }
    setStatisticsEnabled(configuration.isStatisticsEnabled());
    setManagementEnabled(configuration.isManagementEnabled());
  }

  // ---------------------------------------------------------------- reads

  @Override
  public V get(K key) {
    ensureOpen();
    requireKey(key);
    long start = System.nanoTime();
    EncodedKey<K> k = codec.encodeKey(key);
    long now = System.currentTimeMillis();
    Current<K> current = updater.read(k, now);
    Events<K, V> events = dispatcher.events();
    noticeExpired(current, events, true);
    V value;
    if (current.present()) {
      value = codec.value(current.envelope());
      countHits(1);
      touch(current, events);
    } else {
      countMisses(1);
      value = readThrough(current, events);
    }
    events.fire();
    if (statisticsEnabled) {
      statistics.getTime(start);
    }
    return value;
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    ensureOpen();
    requireKeys(keys);
    long start = System.nanoTime();
    Map<String, EncodedKey<K>> byMemcachedKey = new LinkedHashMap<>();
    for (K key : keys) {
      EncodedKey<K> k = codec.encodeKey(key);
      byMemcachedKey.put(k.memcachedKey(), k);
    }
    Map<String, StoredItem> items = store.getAll(byMemcachedKey.keySet());
    long now = System.currentTimeMillis();
    Events<K, V> events = dispatcher.events();
    Map<K, V> result = new LinkedHashMap<>();
    List<Current<K>> missing = new ArrayList<>();
    for (EncodedKey<K> k : byMemcachedKey.values()) {
      Current<K> current = updater.current(k, items.get(k.memcachedKey()), now);
      noticeExpired(current, events, true);
      if (current.present()) {
        result.put(k.key(), codec.value(current.envelope()));
        touch(current, events);
      } else {
        missing.add(current);
      }
    }
    countHits(result.size());
    countMisses(missing.size());
    if (configuration.isReadThrough() && loading.isPresent() && !missing.isEmpty()) {
      result.putAll(loadAndStore(missing, events));
    }
    events.fire();
    if (statisticsEnabled) {
      statistics.getTime(start);
    }
    return result;
  }

  @Override
  public boolean containsKey(K key) {
    ensureOpen();
    requireKey(key);
    Current<K> current = updater.read(codec.encodeKey(key), System.currentTimeMillis());
    Events<K, V> events = dispatcher.events();
    noticeExpired(current, events, true);
    events.fire();
    return current.present();
  }

  @Override
  public void loadAll(Set<? extends K> keys, boolean replaceExistingValues,
      CompletionListener completionListener) {
    ensureOpen();
    requireKeys(keys);
    CompletionListener listener = completionListener == null ? NO_COMPLETION : completionListener;
    if (!loading.isPresent()) {
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
        Map<K, V> loaded = toLoad.isEmpty() ? Map.of() : loading.loadAll(toLoad);
        Events<K, V> events = dispatcher.events();
        for (Map.Entry<K, V> e : loaded.entrySet()) {
          if (e.getKey() != null && e.getValue() != null) {
            storeLoaded(e.getKey(), e.getValue(), events);
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
    writing.write(new SimpleEntry<>(key, value));
    Events<K, V> events = dispatcher.events();
    boolean stored = store(codec.encodeKey(key), value, events);
    events.fire();
    countPuts(stored ? 1 : 0, start);
  }

  @Override
  public V getAndPut(K key, V value) {
    ensureOpen();
    requireKey(key);
    requireValue(value);
    long start = System.nanoTime();
    writing.write(new SimpleEntry<>(key, value));
    byte[] valueBytes = codec.encodeValue(value);
    Committed<K, Boolean> c = updater.update(codec.encodeKey(key),
        cur -> Decision.put(valueBytes, writeExpiry(cur), cur.present()));
    V old = oldValue(c.before());
    Events<K, V> events = dispatcher.events();
    noticeExpired(c.before(), events, false);
    writeEvents(c, value, events);
    events.fire();
    countHitOrMiss(old != null);
    countPuts(c.stored() ? 1 : 0, start);
    if (statisticsEnabled) {
      statistics.getTime(start);
    }
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
      writing.writeAll(toWrite);
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
    Events<K, V> events = dispatcher.events();
    int stored = 0;
    if (canWriteBlindly()) {
      long now = System.currentTimeMillis();
      long expiresAt = expiry.onCreation(now);
      List<ItemWrite> writes = new ArrayList<>(accepted.size());
      List<String> deletes = new ArrayList<>();
      for (Map.Entry<K, V> e : accepted.entrySet()) {
        EncodedKey<K> k = codec.encodeKey(e.getKey());
        if (expiresAt <= now) {
          deletes.add(k.memcachedKey());
        } else {
          writes.add(new ItemWrite(k.memcachedKey(), ExpiryTimes.exptime(expiresAt, now),
              codec.envelope(k, codec.encodeValue(e.getValue()), expiresAt)));
        }
      }
      store.setAll(writes);
      store.deleteAll(deletes);
      stored = writes.size();
    } else {
      for (Map.Entry<K, V> e : accepted.entrySet()) {
        stored += store(codec.encodeKey(e.getKey()), e.getValue(), events) ? 1 : 0;
      }
    }
    events.fire();
    countPuts(stored, start);
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
    byte[] valueBytes = codec.encodeValue(value);
    Committed<K, Boolean> c = updater.update(codec.encodeKey(key), cur -> {
      if (cur.present()) {
        return Decision.none(false);
      }
      writing.write(new SimpleEntry<>(key, value));
      return Decision.put(valueBytes, expiry.onCreation(cur.now()), true);
    });
    Events<K, V> events = dispatcher.events();
    noticeExpired(c.before(), events, !c.result());
    if (c.result()) {
      writeEvents(c, value, events);
      countMisses(1);
      countPuts(c.stored() ? 1 : 0, start);
    } else {
      countHits(1);
    }
    events.fire();
    return c.result();
  }

  @Override
  public boolean remove(K key) {
    ensureOpen();
    requireKey(key);
    long start = System.nanoTime();
    writing.delete(key);
    EncodedKey<K> k = codec.encodeKey(key);
    boolean removed;
    if (expiry.isEternal() && !dispatcher.hasListeners()) {
      removed = store.delete(k.memcachedKey());
    } else {
      Committed<K, Boolean> c = updater.update(k,
          cur -> cur.present() ? Decision.remove(true) : Decision.none(false));
      removed = c.result();
      Events<K, V> events = dispatcher.events();
      noticeExpired(c.before(), events, true);
      if (removed) {
        events.removed(key, oldValue(c.before()));
      }
      events.fire();
    }
    if (removed) {
      countRemovals(1, start);
    }
    return removed;
  }

  @Override
  public boolean remove(K key, V oldValue) {
    ensureOpen();
    requireKey(key);
    requireValue(oldValue);
    long start = System.nanoTime();
    byte[] oldBytes = codec.encodeValue(oldValue);
    Committed<K, Outcome> c = updater.update(codec.encodeKey(key), cur -> {
      if (!cur.present()) {
        return Decision.none(Outcome.ABSENT);
      }
      if (!holds(cur, oldBytes, oldValue)) {
        return Decision.none(Outcome.MISMATCH);
      }
      writing.delete(key);
      return Decision.remove(Outcome.DONE);
    });
    Events<K, V> events = dispatcher.events();
    noticeExpired(c.before(), events, true);
    if (c.result() == Outcome.DONE) {
      events.removed(key, oldValue(c.before()));
      countRemovals(1, start);
    } else if (c.result() == Outcome.MISMATCH) {
      touch(c.before(), events);
    }
    countHitOrMiss(c.result() != Outcome.ABSENT);
    events.fire();
    return c.result() == Outcome.DONE;
  }

  @Override
  public V getAndRemove(K key) {
    ensureOpen();
    requireKey(key);
    long start = System.nanoTime();
    writing.delete(key);
    Committed<K, Boolean> c = updater.update(codec.encodeKey(key),
        cur -> cur.present() ? Decision.remove(true) : Decision.none(false));
    V old = oldValue(c.before());
    Events<K, V> events = dispatcher.events();
    noticeExpired(c.before(), events, true);
    if (c.result()) {
      events.removed(key, old);
      countRemovals(1, start);
    }
    countHitOrMiss(c.result());
    if (statisticsEnabled) {
      statistics.getTime(start);
    }
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
    byte[] oldBytes = codec.encodeValue(oldValue);
    byte[] newBytes = codec.encodeValue(newValue);
    Committed<K, Outcome> c = updater.update(codec.encodeKey(key), cur -> {
      if (!cur.present()) {
        return Decision.none(Outcome.ABSENT);
      }
      if (!holds(cur, oldBytes, oldValue)) {
        return Decision.none(Outcome.MISMATCH);
      }
      writing.write(new SimpleEntry<>(key, newValue));
      return Decision.put(newBytes, writeExpiry(cur), Outcome.DONE);
    });
    Events<K, V> events = dispatcher.events();
    noticeExpired(c.before(), events, true);
    if (c.result() == Outcome.DONE) {
      writeEvents(c, newValue, events);
      countPuts(c.stored() ? 1 : 0, start);
    } else if (c.result() == Outcome.MISMATCH) {
      touch(c.before(), events);
    }
    countHitOrMiss(c.result() != Outcome.ABSENT);
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
    byte[] valueBytes = codec.encodeValue(value);
    Committed<K, Boolean> c = updater.update(codec.encodeKey(key), cur -> {
      if (!cur.present()) {
        return Decision.none(false);
      }
      writing.write(new SimpleEntry<>(key, value));
      return Decision.put(valueBytes, writeExpiry(cur), true);
    });
    Events<K, V> events = dispatcher.events();
    noticeExpired(c.before(), events, true);
    V old = null;
    if (c.result()) {
      old = wantOld ? oldValue(c.before()) : null;
      writeEvents(c, value, events);
      countPuts(c.stored() ? 1 : 0, start);
    }
    countHitOrMiss(c.result());
    if (wantOld && statisticsEnabled) {
      statistics.getTime(start);
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
    List<K> toDelete = new ArrayList<>(keys);
    RuntimeException writerFailure = null;
    try {
      writing.deleteAll(toDelete);
      toDelete.clear();
    } catch (RuntimeException e) {
      writerFailure = e; // keys the writer left were not deleted from the store: keep them cached
    }
    Set<Object> kept = new HashSet<>(toDelete);
    for (K key : keys) {
      if (!kept.contains(key)) {
        removeWithoutWriter(codec.encodeKey(key));
      }
    }
    if (writerFailure != null) {
      throw writerFailure;
    }
  }

  @Override
  public void removeAll() {
    ensureOpen();
    List<Map.Entry<EncodedKey<K>, StoredItem>> entries = listEntries();
    List<K> toDelete = new ArrayList<>();
    entries.forEach(e -> toDelete.add(e.getKey().key()));
    RuntimeException writerFailure = null;
    try {
      writing.deleteAll(toDelete);
      toDelete.clear();
    } catch (RuntimeException e) {
      writerFailure = e; // keys the writer left were not deleted from the store: keep them cached
    }
    Set<Object> kept = new HashSet<>(toDelete);
    for (Map.Entry<EncodedKey<K>, StoredItem> e : entries) {
      if (!kept.contains(e.getKey().key())) {
        removeWithoutWriter(e.getKey());
      }
    }
    if (writerFailure != null) {
      throw writerFailure;
    }
  }

  @Override
  public void clear() {
    ensureOpen();
    store.deleteAll(store.keys(codec.keys().prefix()));
  }

  // ---------------------------------------------------------------- entry processors

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    ensureOpen();
    requireKey(key);
    if (entryProcessor == null) {
      throw new NullPointerException("entryProcessor must not be null");
    }
    long start = System.nanoTime();
    EncodedKey<K> k = codec.encodeKey(key);
    List<MutableEntryImpl<K, V>> last = new ArrayList<>(1);
    Committed<K, T> c = updater.update(k, cur -> {
      MutableEntryImpl<K, V> entry = new MutableEntryImpl<>(cur, codec,
          configuration.isReadThrough() && loading.isPresent() ? loading : null);
      T result;
      try {
        result = entryProcessor.process(entry, arguments);
      } catch (EntryProcessorException e) {
        throw e;
      } catch (Exception e) {
        throw new EntryProcessorException(e);
      }
      last.clear();
      last.add(entry);
      return decide(cur, entry, result);
    });
    MutableEntryImpl<K, V> entry = last.get(0);
    Events<K, V> events = dispatcher.events();
    noticeExpired(c.before(), events, entry.action() == Action.NONE);
    switch (entry.action()) {
      case LOADED:
      case CREATED:
      case UPDATED:
        writeEvents(c, entry.value(), events);
        break;
      case REMOVED:
        if (c.before().present()) {
          events.removed(key, oldValue(c.before()));
        }
        break;
      default:
        break;
    }
    countInvocation(entry.action(), c, start);
    events.fire();
    return c.result();
  }

  private <T> Decision<T> decide(Current<K> cur, MutableEntryImpl<K, V> entry, T result) {
    long now = cur.now();
    switch (entry.action()) {
      case CREATED:
        writing.write(new SimpleEntry<>(entry.getKey(), entry.value()));
        return Decision.put(codec.encodeValue(entry.value()), expiry.onCreation(now), result);
      case LOADED:
        return Decision.put(codec.encodeValue(entry.value()), expiry.onCreation(now), result);
      case UPDATED:
        writing.write(new SimpleEntry<>(entry.getKey(), entry.value()));
        return Decision.put(codec.encodeValue(entry.value()), writeExpiry(cur), result);
      case REMOVED:
        writing.delete(entry.getKey());
        return Decision.remove(result);
      case READ:
        long accessed = expiry.onAccess(now);
        if (accessed == ExpiryDecider.UNCHANGED) {
          return Decision.none(result);
        }
        return Decision.put(valueBytes(cur.envelope()), accessed, result);
      default:
        return Decision.none(result);
    }
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys,
      EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    ensureOpen();
    requireKeys(keys);
    if (entryProcessor == null) {
      throw new NullPointerException("entryProcessor must not be null");
    }
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    for (K key : keys) {
      try {
        T result = invoke(key, entryProcessor, arguments);
        if (result != null) {
          results.put(key, () -> result);
        }
      } catch (EntryProcessorException e) {
        results.put(key, () -> {
          throw e;
        });
      } catch (RuntimeException e) {
        EntryProcessorException wrapped = new EntryProcessorException(e);
        results.put(key, () -> {
          throw wrapped;
        });
      }
    }
    return results;
  }

  // ---------------------------------------------------------------- iteration

  @Override
  public Iterator<Entry<K, V>> iterator() {
    ensureOpen();
    List<String> keys = store.keys(codec.keys().prefix());
    return new Iterator<>() {
      private final Iterator<String> pending = keys.iterator();
      private final java.util.ArrayDeque<Current<K>> batch = new java.util.ArrayDeque<>();
      private Entry<K, V> lastReturned;

      @Override
      public boolean hasNext() {
        ensureOpen();
        while (batch.isEmpty() && pending.hasNext()) {
          fill();
        }
        return !batch.isEmpty();
      }

      @Override
      public Entry<K, V> next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        Current<K> current = batch.poll();
        lastReturned = new SimpleEntry<>(current.key().key(), codec.value(current.envelope()));
        countHits(1);
        Events<K, V> events = dispatcher.events();
        touch(current, events);
        events.fire();
        return lastReturned;
      }

      @Override
      public void remove() {
        if (lastReturned == null) {
          throw new IllegalStateException("next() has not returned an entry to remove");
        }
        MemcachedCache.this.remove(lastReturned.getKey());
        lastReturned = null;
      }

      private void fill() {
        List<String> next = new ArrayList<>(ITERATION_BATCH);
        while (pending.hasNext() && next.size() < ITERATION_BATCH) {
          next.add(pending.next());
        }
        Map<String, StoredItem> items = store.getAll(next);
        long now = System.currentTimeMillis();
        Events<K, V> events = dispatcher.events();
        for (String mkey : next) {
          Envelope envelope = codec.decodeAny(items.get(mkey), mkey);
          if (envelope == null) {
            continue;
          }
          K key = codec.key(envelope);
          EncodedKey<K> k = codec.encodeKey(key);
          Current<K> current = updater.current(k, items.get(mkey), now);
          noticeExpired(current, events, true);
          if (current.present()) {
            batch.add(current);
          }
        }
        events.fire();
      }
    };
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
    dispatcher.register(listenerConfiguration);
    configuration.addCacheEntryListenerConfiguration(listenerConfiguration);
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    ensureOpen();
    if (listenerConfiguration == null) {
      throw new NullPointerException("listener configuration must not be null");
    }
    dispatcher.deregister(listenerConfiguration);
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
    dispatcher.close();
    closeQuietly(expiry.policy());
    closeQuietly(loading.loader());
    closeQuietly(writing.writer());
  }

  /** The statistics of this cache in this JVM (also when not exposed in JMX). */
  public CacheStatistics statistics() {
    return statistics;
  }

  void setStatisticsEnabled(boolean enabled) {
    configuration.setStatisticsEnabled(enabled);
    statisticsEnabled = enabled;
    if (enabled) {
      JmxRegistration.register(JmxRegistration.Kind.STATISTICS, managerName(), name, statistics,
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

  /**
   * Stores a value with put semantics: created or updated, with the matching expiry. Returns false
   * when the expiry was zero, so nothing was stored.
   */
  private boolean store(EncodedKey<K> k, V value, Events<K, V> events) {
    byte[] valueBytes = codec.encodeValue(value);
    if (canWriteBlindly()) {
      long now = System.currentTimeMillis();
      long expiresAt = expiry.onCreation(now);
      if (expiresAt <= now) {
        store.delete(k.memcachedKey());
        return false;
      }
      store.set(k.memcachedKey(), ExpiryTimes.exptime(expiresAt, now),
          codec.envelope(k, valueBytes, expiresAt));
      return true;
    }
    Committed<K, Boolean> c = updater.update(k,
        cur -> Decision.put(valueBytes, writeExpiry(cur), cur.present()));
    noticeExpired(c.before(), events, false);
    writeEvents(c, value, events);
    return c.stored();
  }

  /**
   * Events of a committed write of {@code value}: CREATED or UPDATED when stored; when a zero
   * duration kept it from being stored, an entry that was there has expired, and a new one never was.
   */
  private void writeEvents(Committed<K, ?> c, V value, Events<K, V> events) {
    K key = c.before().key().key();
    if (c.stored()) {
      if (c.before().present()) {
        events.updated(key, value, oldValue(c.before()));
      } else {
        events.created(key, value);
      }
    } else if (c.before().present()) {
      events.expired(key, oldValue(c.before()));
    }
  }

  /** A put needs no read first when the expiry does not depend on it and nobody awaits events. */
  private boolean canWriteBlindly() {
    return expiry.updateLikeCreation() && !dispatcher.hasListenersFor(EventType.CREATED)
        && !dispatcher.hasListenersFor(EventType.UPDATED) && !dispatcher.hasListenersFor(EventType.EXPIRED);
  }

  /** Expiry of a write: creation for an absent entry, update (or unchanged) for a present one. */
  private long writeExpiry(Current<K> cur) {
    long now = cur.now();
    if (!cur.present()) {
      return expiry.onCreation(now);
    }
    long updated = expiry.onUpdate(now);
    return updated == ExpiryDecider.UNCHANGED ? cur.envelope().expiresAtMillis() : updated;
  }

  /** Applies access expiry to an entry just read: a new expiry time, or removal at zero. */
  private void touch(Current<K> cur, Events<K, V> events) {
    long now = cur.now();
    long accessed = expiry.onAccess(now);
    if (accessed == ExpiryDecider.UNCHANGED || accessed == cur.envelope().expiresAtMillis()) {
      return;
    }
    Decision<Void> decision = accessed <= now
        ? Decision.remove(null)
        : Decision.put(valueBytes(cur.envelope()), accessed, null);
    // losing the race to a concurrent write is fine: that write set its own expiry
    updater.commit(cur, decision, now);
    if (accessed <= now) {
      events.expired(cur.key().key(), codec.value(cur.envelope()));
    }
  }

  /** Fires EXPIRED for an entry found expired and, if nothing replaces it, deletes it. */
  private void noticeExpired(Current<K> cur, Events<K, V> events, boolean deleteIt) {
    if (!cur.expired()) {
      return;
    }
    if (deleteIt) {
      updater.commit(cur, Decision.remove(null), cur.now());
    }
    if (dispatcher.hasListenersFor(EventType.EXPIRED)) {
      events.expired(cur.key().key(), codec.value(cur.envelope()));
    }
  }

  private V readThrough(Current<K> cur, Events<K, V> events) {
    if (!configuration.isReadThrough() || !loading.isPresent()) {
      return null;
    }
    V value = loading.load(cur.key().key());
    if (value != null) {
      long now = System.currentTimeMillis();
      updater.commit(cur, Decision.put(codec.encodeValue(value), expiry.onCreation(now), null), now);
      events.created(cur.key().key(), value);
    }
    return value;
  }

  private Map<K, V> loadAndStore(List<Current<K>> missing, Events<K, V> events) {
    List<K> keys = new ArrayList<>();
    missing.forEach(c -> keys.add(c.key().key()));
    Map<K, V> loaded = loading.loadAll(keys);
    Map<K, V> result = new HashMap<>();
    long now = System.currentTimeMillis();
    for (Current<K> cur : missing) {
      V value = loaded == null ? null : loaded.get(cur.key().key());
      if (value != null) {
        updater.commit(cur, Decision.put(codec.encodeValue(value), expiry.onCreation(now), null), now);
        events.created(cur.key().key(), value);
        result.put(cur.key().key(), value);
      }
    }
    return result;
  }

  /** Stores a loaded value: loads never go to the writer, and replace what is there. */
  private void storeLoaded(K key, V value, Events<K, V> events) {
    byte[] valueBytes = codec.encodeValue(value);
    Committed<K, Boolean> c = updater.update(codec.encodeKey(key),
        cur -> Decision.put(valueBytes, writeExpiry(cur), cur.present()));
    writeEvents(c, value, events);
  }

  private void removeWithoutWriter(EncodedKey<K> k) {
    long start = System.nanoTime();
    Committed<K, Boolean> c = updater.update(k,
        cur -> cur.present() ? Decision.remove(true) : Decision.none(false));
    Events<K, V> events = dispatcher.events();
    noticeExpired(c.before(), events, true);
    if (c.result()) {
      events.removed(k.key(), oldValue(c.before()));
      countRemovals(1, start);
    }
    events.fire();
  }

  /** Every entry of this cache on the cluster, found by listing keys with this cache's prefix. */
  private List<Map.Entry<EncodedKey<K>, StoredItem>> listEntries() {
    List<String> keys = store.keys(codec.keys().prefix());
    List<Map.Entry<EncodedKey<K>, StoredItem>> entries = new ArrayList<>();
    for (int i = 0; i < keys.size(); i += ITERATION_BATCH) {
      List<String> batch = keys.subList(i, Math.min(keys.size(), i + ITERATION_BATCH));
      Map<String, StoredItem> items = store.getAll(batch);
      for (String mkey : batch) {
        Envelope envelope = codec.decodeAny(items.get(mkey), mkey);
        if (envelope != null) {
          entries.add(Map.entry(codec.encodeKey(codec.key(envelope)), items.get(mkey)));
        }
      }
    }
    return entries;
  }

  private boolean holds(Current<K> cur, byte[] expectedBytes, V expected) {
    return cur.envelope().hasValue(expectedBytes) || expected.equals(codec.value(cur.envelope()));
  }

  private V oldValue(Current<K> cur) {
    return cur.present() ? codec.value(cur.envelope()) : null;
  }

  private static byte[] valueBytes(Envelope envelope) {
    return java.util.Arrays.copyOfRange(envelope.buffer(), envelope.valueOffset(),
        envelope.valueOffset() + envelope.valueLength());
  }

  /** An invocation is a hit or miss by the lookup alone, whatever the processor does. */
  private void countInvocation(Action action, Committed<K, ?> c, long start) {
    countHitOrMiss(c.before().present());
    if ((action == Action.CREATED || action == Action.UPDATED) && c.stored()) {
      countPuts(1, start);
    } else if (action == Action.REMOVED && c.before().present()) {
      countRemovals(1, start);
    }
  }

  private void countHitOrMiss(boolean hit) {
    if (hit) {
      countHits(1);
    } else {
      countMisses(1);
    }
  }

  private void countHits(long n) {
    if (statisticsEnabled && n > 0) {
      statistics.hits(n);
    }
  }

  private void countMisses(long n) {
    if (statisticsEnabled && n > 0) {
      statistics.misses(n);
    }
  }

  private void countPuts(long n, long start) {
    if (statisticsEnabled && n > 0) {
      statistics.puts(n);
      statistics.putTime(start);
    }
  }

  private void countRemovals(long n, long start) {
    if (statisticsEnabled && n > 0) {
      statistics.removals(n);
      statistics.removeTime(start);
    }
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
