package io.memjcache.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.Serializable;
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
    static final Marker INSTANCE = new Marker();

    private Marker() {}

    private Object readResolve() {
      return INSTANCE;
    }
  }

  static final class Holder implements Serializable {
    final Marker marker;

    Holder(Marker marker) {
      this.marker = marker;
    }
  }
}
