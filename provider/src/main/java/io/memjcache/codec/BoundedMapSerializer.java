package io.memjcache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.Map;

/** Kryo's map serializer, which pre-sizes from the stored length: checked first. */
@SuppressWarnings("rawtypes") // as kryo's MapSerializer is declared
final class BoundedMapSerializer<T extends Map> extends MapSerializer<T> {

  @Override
  protected T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
    ((BoundedInput) input).requireElements(size);
    return super.create(kryo, input, type, size);
  }
}
