package io.memjcache.event;

import io.memjcache.logging.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.EventType;
import org.jspecify.annotations.Nullable;

/**
 * Delivers the entry events of one cache to its registered listeners.
 *
 * <ul>
 *   <li>Events are those of operations made through this JVM's cache; memcached has no
 *       notifications, so listeners never hear of other JVMs' writes.
 *   <li>Synchronous listeners run on the caller's thread before the operation returns; an exception
 *       they throw reaches the caller as a {@link CacheEntryListenerException}.
 *   <li>Asynchronous listeners run on one thread per cache, so they see events in the order the
 *       operations committed; their exceptions are logged.
 *   <li>Events of one operation reach a listener in one call per event type.
 * </ul>
 */
public final class EventDispatcher<K, V> implements AutoCloseable {

  private static final Log LOG = Log.of(EventDispatcher.class);

  private final Cache<K, V> source;
  private final List<Registration<K, V>> registrations = new CopyOnWriteArrayList<>();
  private volatile @Nullable ExecutorService async;

  public EventDispatcher(Cache<K, V> source) {
    this.source = source;
  }

  /** Registers a listener; a configuration equal to a registered one is refused. */
  public void register(CacheEntryListenerConfiguration<K, V> configuration) {
    synchronized (registrations) {
      for (Registration<K, V> r : registrations) {
        if (r.configuration().equals(configuration)) {
          throw new IllegalArgumentException("listener configuration already registered");
        }
      }
      registrations.add(new Registration<>(configuration));
    }
  }

  /** Removes a listener registration; unknown configurations are ignored. */
  public void deregister(CacheEntryListenerConfiguration<K, V> configuration) {
    synchronized (registrations) {
      for (Registration<K, V> r : registrations) {
        if (r.configuration().equals(configuration)) {
          registrations.remove(r);
          r.close();
        }
      }
    }
  }

  /** Returns if any listener wants events of {@code type}; lets operations skip building them. */
  public boolean hasListenersFor(EventType type) {
    for (Registration<K, V> r : registrations) {
      if (r.listensTo(type)) {
        return true;
      }
    }
    return false;
  }

  public boolean hasListeners() {
    return !registrations.isEmpty();
  }

  /** Starts collecting the events of one operation. */
  public Events<K, V> events() {
    return new Events<>(this, source);
  }

  void dispatch(List<EntryEvent<K, V>> events) {
    for (Registration<K, V> registration : registrations) {
      deliverRuns(registration, events);
    }
  }

  private void deliverRuns(Registration<K, V> registration, List<EntryEvent<K, V>> events) {
    int i = 0;
    while (i < events.size()) {
      EventType type = events.get(i).getEventType();
      List<CacheEntryEvent<K, V>> run = new ArrayList<>();
      for (; i < events.size() && events.get(i).getEventType() == type; i++) {
        EntryEvent<K, V> event = events.get(i);
        if (registration.listensTo(type) && registration.accepts(forListener(registration, event))) {
          run.add(forListener(registration, event));
        }
      }
      if (!run.isEmpty()) {
        deliver(registration, type, run);
      }
    }
  }

  /** Hides the old value from listeners that did not ask for it (JSR-107 8.4). */
  private EntryEvent<K, V> forListener(Registration<K, V> registration, EntryEvent<K, V> event) {
    if (registration.configuration().isOldValueRequired() || !event.isOldValueAvailable()
        || event.getEventType() != EventType.UPDATED) {
      return event;
    }
    return new EntryEvent<>(source, event.getEventType(), event.getKey(), event.getValue(), null, false);
  }

  private void deliver(Registration<K, V> registration, EventType type, List<CacheEntryEvent<K, V>> run) {
    if (registration.isSynchronous()) {
      try {
        registration.deliver(type, run);
      } catch (CacheEntryListenerException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new CacheEntryListenerException("listener failed on " + type + " events", e);
      }
      return;
    }
    asyncExecutor().execute(() -> {
      try {
        registration.deliver(type, run);
      } catch (RuntimeException e) {
        LOG.warning("asynchronous listener failed on " + type + " events", e);
      }
    });
  }

  private ExecutorService asyncExecutor() {
    ExecutorService executor = async;
    if (executor == null) {
      synchronized (this) {
        if (async == null) {
          async = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "memjcache-events-" + source.getName());
            t.setDaemon(true);
            return t;
          });
        }
        executor = async;
      }
    }
    return executor;
  }

  @Override
  public void close() {
    synchronized (registrations) {
      registrations.forEach(Registration::close);
      registrations.clear();
    }
    ExecutorService executor = async;
    if (executor != null) {
      executor.shutdown();
    }
  }
}
