package io.memjcache;

import java.util.Map;
import java.util.Set;
import javax.cache.configuration.CompleteConfiguration;

/**
 * The argument checks JSR-107 asks of every operation: null keys and values are a
 * {@link NullPointerException}, and ones not of the configured types a {@link ClassCastException},
 * before anything is sent.
 */
final class CacheArguments<K, V> {

  private final Class<K> keyType;
  private final Class<V> valueType;

  CacheArguments(CompleteConfiguration<K, V> configuration) {
    this.keyType = configuration.getKeyType();
    this.valueType = configuration.getValueType();
  }

  void requireKey(K key) {
    require(key, keyType, "key");
  }

  void requireValue(V value) {
    require(value, valueType, "value");
  }

  void requireKeys(Set<? extends K> keys) {
    if (keys == null) {
      throw new NullPointerException("keys must not be null");
    }
    keys.forEach(this::requireKey);
  }

  void requireEntries(Map<? extends K, ? extends V> map) {
    if (map == null) {
      throw new NullPointerException("map must not be null");
    }
    map.forEach((k, v) -> {
      requireKey(k);
      requireValue(v);
    });
  }

  private static void require(Object argument, Class<?> type, String what) {
    if (argument == null) {
      throw new NullPointerException(what + " must not be null");
    }
    if (type != Object.class && !type.isInstance(argument)) {
      throw new ClassCastException(what + " " + argument.getClass().getName() + " is not a " + type.getName());
    }
  }
}
