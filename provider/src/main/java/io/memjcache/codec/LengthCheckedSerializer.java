package io.memjcache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Wraps one of kryo's object-array serializers, which allocate the array from a leading varint of
 * length + 1 (0 is null) before reading an element: the length is checked against the bytes left.
 */
final class LengthCheckedSerializer<T> extends Serializer<T> {

  private final Serializer<T> inner;

  LengthCheckedSerializer(Serializer<T> inner) {
    super(inner.getAcceptsNull(), inner.isImmutable());
    this.inner = inner;
  }

  @Override
  public void write(Kryo kryo, Output output, T object) {
    inner.write(kryo, output, object);
  }

  @Override
  public T read(Kryo kryo, Input input, Class<? extends T> type) {
    BoundedInput bounded = (BoundedInput) input;
    bounded.requireElements(Math.max(0, bounded.peekVarInt() - 1L));
    return inner.read(kryo, input, type);
  }
}
