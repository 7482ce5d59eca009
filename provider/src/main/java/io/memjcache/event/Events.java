package io.memjcache.event;

import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import javax.cache.event.EventType;
import org.jspecify.annotations.Nullable;

/** The events of one cache operation, dispatched together once the operation has committed. */
public final class Events<K, V> {

  private final EventDispatcher<K, V> dispatcher;
  private final Cache<K, V> source;
  private @Nullable List<EntryEvent<K, V>> events; // most operations have no listener: made on the first event

  Events(EventDispatcher<K, V> dispatcher, Cache<K, V> source) {
    this.dispatcher = dispatcher;
    this.source = source;
  }

  public void created(K key, V value) {
    add(EventType.CREATED, key, value, null, false);
  }

  public void updated(K key, V value, V oldValue) {
    add(EventType.UPDATED, key, value, oldValue, true);
  }

  public void removed(K key, V oldValue) {
    add(EventType.REMOVED, key, oldValue, oldValue, true);
  }

  public void expired(K key, V oldValue) {
    add(EventType.EXPIRED, key, oldValue, oldValue, true);
  }

  /** Delivers what was collected. */
  public void fire() {
    if (events != null) {
      dispatcher.dispatch(events);
    }
  }

  private void add(EventType type, K key, V value, @Nullable V oldValue, boolean oldValueAvailable) {
    if (dispatcher.hasListenersFor(type)) {
      if (events == null) {
        events = new ArrayList<>(2);
      }
      events.add(new EntryEvent<>(source, type, key, value, oldValue, oldValueAvailable));
    }
  }
}
