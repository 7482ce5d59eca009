package io.memjcache.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.cache.CacheException;
import org.junit.jupiter.api.Test;

class KryoSerializerTest {

  private final KryoSerializer kryo = new KryoSerializer(getClass().getClassLoader(),
      AllowList.parse("io.memjcache.codec.*"));

  private Object roundTrip(Object value) {
    byte[] bytes = kryo.serialize(value);
    return kryo.deserialize(bytes, 0, bytes.length);
  }

  @Test
  void aSingletonWithReadResolveKeepsItsIdentity() {
    // as Hibernate's LazyPropertyInitializer.UNFETCHED_PROPERTY, compared with ==
    assertSame(Marker.INSTANCE, roundTrip(Marker.INSTANCE));
    assertSame(Marker.INSTANCE, ((Holder) roundTrip(new Holder(Marker.INSTANCE))).marker);
  }

  @Test
  void ordinaryClassesStillRoundTripByValue() {
    Holder copy = (Holder) roundTrip(new Holder(null));
    assertEquals(null, copy.marker);
  }

  static final class Marker implements Serializable {
    private static final long serialVersionUID = 1L;
    static final Marker INSTANCE = new Marker();

    private Marker() {}

    private Object readResolve() {
      return INSTANCE;
    }
  }

  static final class Holder implements Serializable {
    private static final long serialVersionUID = 1L;
    final Marker marker;

    Holder(Marker marker) {
      this.marker = marker;
    }
  }

  @Test
  void bytesLeftAfterTheValueMakeItCorrupt() {
    for (Object value : new Object[] {"text", new byte[] {1, 2}, 42, new ArrayList<>(List.of(1))}) {
      byte[] bytes = Arrays.copyOf(kryo.serialize(value), kryo.serialize(value).length + 1);
      assertThrows(CorruptEntryException.class, () -> kryo.deserialize(bytes, 0, bytes.length), value.toString());
    }
  }

  @Test
  void nestingDeeperThanTheBoundIsRefusedWhenWritten() {
    List<Object> deep = new ArrayList<>();
    List<Object> inner = deep;
    for (int i = 0; i < BoundedKryo.MAX_DEPTH + 5; i++) {
      List<Object> next = new ArrayList<>();
      inner.add(next);
      inner = next;
    }
    CacheException e = assertThrows(CacheException.class, () -> kryo.serialize(deep));
    assertTrue(e.getMessage().contains("levels deep"), e.getMessage());
  }

  @Test
  void aCyclicGraphIsRefusedWithAClearMessageNotAStackOverflow() {
    List<Object> cyclic = new ArrayList<>();
    cyclic.add(cyclic);
    assertThrows(CacheException.class, () -> kryo.serialize(cyclic));
  }

  @Test
  void unmodifiableAndImmutableCollectionsComeBackEqualAndUnmodifiable() {
    for (Object value : new Object[] {List.of(1, 2, 3), Set.of("a", "b"), Map.of("k", 1),
        Collections.unmodifiableList(new ArrayList<>(List.of(1))),
        Collections.unmodifiableSet(new HashSet<>(Set.of(1))),
        Collections.unmodifiableMap(new HashMap<>(Map.of(1, 2))),
        Collections.unmodifiableSortedSet(new TreeSet<>(Set.of(2, 1))),
        Arrays.asList(1, 2), List.of(1, 2, 3).subList(1, 2)}) {
      Object copy = roundTrip(value);
      assertEquals(value, copy, value.getClass().getName());
      assertEquals(modifiable(value), modifiable(copy), "as (un)modifiable as " + value.getClass().getName());
    }
  }

  private static boolean modifiable(Object collection) {
    try {
      if (collection instanceof Map<?, ?> m) {
        m.clear();
      } else {
        ((Collection<?>) collection).clear();
      }
      return true;
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  @Test
  void anApplicationClassFromAnotherLayoutIsCorrupt() {
    byte[] bytes = kryo.serialize(new Holder(null));
    int fingerprint = Fingerprinted.of(Holder.class);
    int at = indexOfInt(bytes, fingerprint);
    bytes[at] ^= 1;
    CorruptEntryException e = assertThrows(CorruptEntryException.class, () -> kryo.deserialize(bytes, 0, bytes.length));
    assertTrue(e.getMessage().contains("field layout"), e.getMessage());
  }

  private static int indexOfInt(byte[] bytes, int value) {
    for (int i = 0; i + 4 <= bytes.length; i++) {
      int le = (bytes[i] & 0xFF) | (bytes[i + 1] & 0xFF) << 8 | (bytes[i + 2] & 0xFF) << 16 | (bytes[i + 3] & 0xFF) << 24;
      int be = (bytes[i] & 0xFF) << 24 | (bytes[i + 1] & 0xFF) << 16 | (bytes[i + 2] & 0xFF) << 8 | (bytes[i + 3] & 0xFF);
      if (le == value || be == value) {
        return i;
      }
    }
    throw new AssertionError("fingerprint not found");
  }
}
