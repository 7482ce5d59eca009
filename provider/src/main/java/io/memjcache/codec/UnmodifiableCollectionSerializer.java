package io.memjcache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The JDK's unmodifiable and immutable collections ({@code List.of}, {@code Collections.unmodifiableMap},
 * {@code Arrays.asList}...), written as their plain counterpart and wrapped again when read.
 *
 * <p>Kryo cannot fill these through {@code add}, and Java serialization would read their contents
 * outside kryo's bounds; as plain collections they go through the bounded, allow-listed path like
 * any other, and come back equal and just as unmodifiable.
 */
final class UnmodifiableCollectionSerializer<P, T> extends Serializer<T> {

  private final Class<P> plain;
  private final Function<T, P> copy;
  private final Function<P, T> wrap;

  private UnmodifiableCollectionSerializer(Class<P> plain, Function<T, P> copy, Function<P, T> wrap) {
    this.plain = plain;
    this.copy = copy;
    this.wrap = wrap;
  }

  /** The serializer for a class of these forms, or null if it is not one. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static @Nullable Serializer<?> forType(Class<?> type) {
    String name = type.getName();
    if (!name.startsWith("java.util.ImmutableCollections$") && !name.startsWith("java.util.Collections$Unmodifiable")
        && !name.equals("java.util.Arrays$ArrayList")) {
      return null;
    }
    if (SortedMap.class.isAssignableFrom(type)) {
      return new UnmodifiableCollectionSerializer<TreeMap, SortedMap>(TreeMap.class, TreeMap::new,
          Collections::unmodifiableNavigableMap);
    }
    if (Map.class.isAssignableFrom(type)) {
      Function<LinkedHashMap, Map> wrap = name.contains("Immutable") ? Map::copyOf : Collections::unmodifiableMap;
      return new UnmodifiableCollectionSerializer<LinkedHashMap, Map>(LinkedHashMap.class, LinkedHashMap::new, wrap);
    }
    if (SortedSet.class.isAssignableFrom(type)) {
      return new UnmodifiableCollectionSerializer<TreeSet, SortedSet>(TreeSet.class, TreeSet::new,
          Collections::unmodifiableNavigableSet);
    }
    if (Set.class.isAssignableFrom(type)) {
      Function<LinkedHashSet, Set> wrap = name.contains("Immutable") ? Set::copyOf : Collections::unmodifiableSet;
      return new UnmodifiableCollectionSerializer<LinkedHashSet, Set>(LinkedHashSet.class, LinkedHashSet::new, wrap);
    }
    Function<ArrayList, Collection> wrap;
    if (name.contains("Immutable")) {
      wrap = List::copyOf;
    } else if (name.equals("java.util.Arrays$ArrayList")) {
      wrap = list -> Arrays.asList(list.toArray());
    } else if (List.class.isAssignableFrom(type)) {
      wrap = Collections::unmodifiableList;
    } else {
      wrap = Collections::unmodifiableCollection;
    }
    return new UnmodifiableCollectionSerializer<ArrayList, Collection>(ArrayList.class,
        c -> new ArrayList(c), wrap);
  }

  @Override
  public void write(Kryo kryo, Output output, T object) {
    kryo.writeObject(output, copy.apply(object));
  }

  @Override
  public T read(Kryo kryo, Input input, Class<? extends T> type) {
    return wrap.apply(kryo.readObject(input, plain));
  }
}
