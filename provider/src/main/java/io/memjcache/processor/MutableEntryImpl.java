package io.memjcache.processor;

import io.memjcache.codec.EntryCodec;
import io.memjcache.codec.Envelope;
import javax.cache.processor.MutableEntry;
import org.jspecify.annotations.Nullable;

/**
 * The entry an {@link javax.cache.processor.EntryProcessor} works on, over one read of memcached.
 * Nothing is written while the processor runs; its last {@link Action} decides the write afterwards.
 */
public final class MutableEntryImpl<K, V> implements MutableEntry<K, V> {

  private final Current<K> current;
  private final EntryCodec<K, V> codec;
  private final LoadOnce<K, V> readThrough;
  private Action action = Action.NONE;
  private @Nullable V value;
  private boolean valueKnown;

  /**
   * {@code readThrough} is null when the cache does not load on a miss; it is shared by the entries
   * of every attempt of one invoke call, so a rerun processor does not load again.
   */
  public MutableEntryImpl(Current<K> current, EntryCodec<K, V> codec, LoadOnce<K, V> readThrough) {
    this.current = current;
    this.codec = codec;
    this.readThrough = readThrough;
  }

  public Action action() {
    return action;
  }

  /** The value the entry holds after processing (the new, loaded or read one). */
  public @Nullable V value() {
    return value;
  }

  @Override
  public K getKey() {
    return current.key().key();
  }

  @Override
  public @Nullable V getValue() {
    if (valueKnown) {
      if (action == Action.NONE && value != null) {
        action = Action.READ;
      }
      return value;
    }
    valueKnown = true;
    Envelope envelope = current.envelope();
    if (envelope != null && current.present()) {
      value = codec.value(envelope);
      action = Action.READ;
    } else if (readThrough != null) {
      value = readThrough.load(getKey());
      if (value != null) {
        action = Action.LOADED;
      }
    }
    return value;
  }

  @Override
  public boolean exists() {
    if (valueKnown) {
      return value != null;
    }
    return current.present();
  }

  @Override
  public void remove() {
    valueKnown = true;
    value = null;
    // removing what this processor created leaves nothing to do; any other remove is written
    // through, also for an absent entry, as the backing store may hold it
    action = action == Action.CREATED ? Action.NONE : Action.REMOVED;
  }

  @Override
  public void setValue(V newValue) {
    if (newValue == null) {
      throw new NullPointerException("an entry processor may not set a null value");
    }
    valueKnown = true;
    value = newValue;
    action = current.present() ? Action.UPDATED : Action.CREATED;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("cannot unwrap a mutable entry to " + clazz.getName());
  }
}
