package io.memjcache.event;

import io.memjcache.logging.Log;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import org.jspecify.annotations.Nullable;

/** One registered listener: the instance its factory made, its filter and its delivery mode. */
final class Registration<K, V> {

  private static final Log LOG = Log.of(Registration.class);

  private final CacheEntryListenerConfiguration<K, V> configuration;
  private final CacheEntryListener<? super K, ? super V> listener;
  private final @Nullable CacheEntryEventFilter<? super K, ? super V> filter;

  Registration(CacheEntryListenerConfiguration<K, V> configuration) {
    this.configuration = configuration;
    this.listener = configuration.getCacheEntryListenerFactory().create();
    Factory<CacheEntryEventFilter<? super K, ? super V>> filterFactory =
        configuration.getCacheEntryEventFilterFactory();
    this.filter = filterFactory == null ? null : filterFactory.create();
  }

  CacheEntryListenerConfiguration<K, V> configuration() {
    return configuration;
  }

  boolean isSynchronous() {
    return configuration.isSynchronous();
  }

  /** Returns if the listener implements the callback for {@code type}. */
  boolean listensTo(EventType type) {
    switch (type) {
      case CREATED:
        return listener instanceof CacheEntryCreatedListener;
      case UPDATED:
        return listener instanceof CacheEntryUpdatedListener;
      case REMOVED:
        return listener instanceof CacheEntryRemovedListener;
      case EXPIRED:
        return listener instanceof CacheEntryExpiredListener;
      default:
        return false;
    }
  }

  boolean accepts(CacheEntryEvent<K, V> event) {
    return filter == null || filter.evaluate(event);
  }

  /** Delivers events of one type; all events of a call must share that type. */
  @SuppressWarnings("unchecked")
  void deliver(EventType type, List<CacheEntryEvent<K, V>> events) {
    Iterable<CacheEntryEvent<? extends K, ? extends V>> batch =
        (Iterable<CacheEntryEvent<? extends K, ? extends V>>) (Iterable<?>) events;
    switch (type) {
      case CREATED:
        ((CacheEntryCreatedListener<K, V>) listener).onCreated(batch);
        break;
      case UPDATED:
        ((CacheEntryUpdatedListener<K, V>) listener).onUpdated(batch);
        break;
      case REMOVED:
        ((CacheEntryRemovedListener<K, V>) listener).onRemoved(batch);
        break;
      case EXPIRED:
        ((CacheEntryExpiredListener<K, V>) listener).onExpired(batch);
        break;
      default:
        throw new CacheEntryListenerException("unknown event type " + type);
    }
  }

  void close() {
    for (Object part : new Object[] {listener, filter}) {
      if (part instanceof Closeable) {
        try {
          ((Closeable) part).close();
        } catch (IOException | RuntimeException e) {
          LOG.warning("closing " + part + " failed", e);
        }
      }
    }
  }
}
