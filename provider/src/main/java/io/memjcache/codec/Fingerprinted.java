package io.memjcache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Prefixes each object of an application class with a fingerprint of its layout, so that an entry
 * written by another version of the class is a miss, never a wrong value.
 *
 * <p>Kryo's field and record serializers write fields by position, without names: a field removed
 * in a newer version of a class would silently shift every later value into the wrong field. The
 * fingerprint is a CRC32C of the serialized fields' names and types (record components, enum
 * constants) in a fixed order; reading refuses an object whose fingerprint differs from the
 * class's here. Four bytes per object.
 */
final class Fingerprinted<T> extends Serializer<T> {

  private final Serializer<T> inner;
  private final int fingerprint;
  private final String className;

  Fingerprinted(Serializer<T> inner, Class<?> type) {
    super(inner.getAcceptsNull(), inner.isImmutable());
    this.inner = inner;
    this.fingerprint = of(type);
    this.className = type.getName();
  }

  @Override
  public void write(Kryo kryo, Output output, T object) {
    output.writeInt(fingerprint);
    inner.write(kryo, output, object);
  }

  @Override
  public T read(Kryo kryo, Input input, Class<? extends T> type) {
    int stored = input.readInt();
    if (stored != fingerprint) {
      throw new KryoException("stored " + className + " has another field layout than the class "
          + "here (written by another version of it)");
    }
    return inner.read(kryo, input, type);
  }

  /** The layout fingerprint of a class: its fields (or components, or constants) by name and type. */
  static int of(Class<?> type) {
    CRC32C crc = new CRC32C();
    for (String part : layout(type)) {
      crc.update(part.getBytes(StandardCharsets.UTF_8));
      crc.update(0);
    }
    return (int) crc.getValue();
  }

  private static List<String> layout(Class<?> type) {
    List<String> parts = new ArrayList<>();
    if (type.isEnum()) {
      for (Object constant : type.getEnumConstants()) {
        parts.add(((Enum<?>) constant).name());
      }
    } else if (type.isRecord()) {
      for (RecordComponent c : type.getRecordComponents()) {
        parts.add(c.getName() + ":" + c.getType().getName());
      }
    } else {
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        parts.add(c.getName());
        List<String> fields = new ArrayList<>();
        for (Field f : c.getDeclaredFields()) {
          if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isTransient(f.getModifiers())) {
            fields.add(f.getName() + ":" + f.getType().getName());
          }
        }
        fields.sort(null);
        parts.addAll(fields);
      }
    }
    return parts;
  }
}
