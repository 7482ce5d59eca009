package io.memjcache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;

/**
 * A kryo instance whose default serializers are bounded against stored bytes: collections and
 * arrays check their length before allocating, the JDK's unmodifiable forms are read as plain
 * collections, and application classes, records and enums carry a layout {@link Fingerprinted}.
 */
final class BoundedKryo extends Kryo {

  /** Nesting depth of objects in one value; deeper is corrupt when read and refused when written. */
  static final int MAX_DEPTH = 100;

  BoundedKryo(AllowListClassResolver resolver) {
    super(resolver, null);
    setMaxDepth(MAX_DEPTH);
  }

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public Serializer getDefaultSerializer(Class type) {
    Serializer<?> unmodifiable = UnmodifiableCollectionSerializer.forType(type);
    if (unmodifiable != null) {
      return unmodifiable;
    }
    Serializer serializer = super.getDefaultSerializer(type);
    if (serializer.getClass() == CollectionSerializer.class) {
      return new BoundedCollectionSerializer();
    }
    if (serializer.getClass() == MapSerializer.class) {
      return new BoundedMapSerializer();
    }
    if (type.isArray() && !type.getComponentType().isPrimitive()) {
      return new LengthCheckedSerializer(serializer);
    }
    if ((type.isRecord() || type.isEnum()) && !type.getName().startsWith("java.")) {
      return new Fingerprinted(serializer, type);
    }
    return serializer;
  }
}
