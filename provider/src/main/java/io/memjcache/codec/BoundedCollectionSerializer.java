package io.memjcache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import java.util.Collection;

/** Kryo's collection serializer, which pre-sizes from the stored length: checked first. */
@SuppressWarnings("rawtypes") // as kryo's CollectionSerializer is declared
final class BoundedCollectionSerializer<T extends Collection> extends CollectionSerializer<T> {

  @Override
  protected T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
    ((BoundedInput) input).requireElements(size);
    return super.create(kryo, input, type, size);
  }
}
