package io.memjcache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import com.esotericsoftware.kryo.util.Pool;
import java.io.Serializable;
import javax.cache.CacheException;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Turns keys and values into bytes and back with kryo, which is what makes the cache store by value.
 *
 * <p>Kryo instances are not thread-safe and costly to build, so they are pooled per class loader
 * (one serializer per cache manager). Classes need no registration; JDK classes kryo has no
 * serializer of its own for fall back to Java serialization, because kryo's field serializer cannot
 * reach into {@code java.*} internals on Java 17. Strings and byte arrays skip the pool and kryo's
 * class resolution, with kryo's exact bytes ({@link CommonTypes}).
 */
public final class KryoSerializer {

  private static final int MAX_POOLED = 64;

  private final Pool<Kryo> pool;
  private final CommonTypes common;

  public KryoSerializer(ClassLoader classLoader) {
    this.pool = new Pool<>(true, true, MAX_POOLED) {
      @Override
      protected Kryo create() {
        return newKryo(classLoader);
      }
    };
    Kryo kryo = pool.obtain();
    try {
      this.common = CommonTypes.learn(kryo);
    } finally {
      pool.free(kryo);
    }
  }

  CommonTypes commonTypes() {
    return common;
  }

  /** Serializes an object with its class, or throws a {@link CacheException} naming the class. */
  public byte[] serialize(Object object) {
    byte[] common = this.common.write(object);
    if (common != null) {
      return common;
    }
    Kryo kryo = pool.obtain();
    try (Output output = new Output(64, -1)) {
      kryo.writeClassAndObject(output, object);
      return output.toBytes();
    } catch (RuntimeException | StackOverflowError e) {
      // kryo fails in many ways on what it cannot handle: its own exceptions, reflection refused
      // by the JDK's modules, stack overflows on deep graphs
      throw new CacheException("cannot serialize " + object.getClass().getName()
          + " (memcached stores bytes, so keys and values must be serializable by kryo): "
          + e.getMessage(), e);
    } finally {
      pool.free(kryo);
    }
  }

  /** Deserializes bytes made by {@link #serialize}. */
  public Object deserialize(byte[] bytes, int offset, int length) {
    Object common = this.common.read(bytes, offset, length);
    if (common != CommonTypes.NOT_HANDLED) {
      return common;
    }
    Kryo kryo = pool.obtain();
    try (Input input = new Input(bytes, offset, length)) {
      return kryo.readClassAndObject(input);
    } catch (KryoException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new CorruptEntryException("cannot deserialize stored bytes: " + e.getMessage(), e);
    } finally {
      pool.free(kryo);
    }
  }

  /**
   * Returns if a class takes part in its own serialization ({@code readResolve} / {@code writeReplace},
   * e.g. singletons such as Hibernate's placeholder objects, which are compared with {@code ==}):
   * kryo's field serializer would skip those methods and hand back a copy.
   */
  static boolean replacesItself(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (String name : new String[] {"readResolve", "writeReplace"}) {
        try {
          c.getDeclaredMethod(name);
          return true;
        } catch (NoSuchMethodException absent) {
          // look further up
        }
      }
    }
    return false;
  }

  static Kryo newKryo(ClassLoader classLoader) {
    KryoWithoutUnsafe.decide();
    Kryo kryo = new Kryo();
    kryo.setRegistrationRequired(false);
    kryo.setReferences(true);
    kryo.setClassLoader(classLoader);
    kryo.setInstantiatorStrategy(new com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy(
        new StdInstantiatorStrategy()));
    SerializerFactory<?> fields = new SerializerFactory.FieldSerializerFactory();
    kryo.setDefaultSerializer(new SerializerFactory<Serializer<?>>() {
      @Override
      public Serializer<?> newSerializer(Kryo k, Class type) {
        if (type.isHidden() || type.isSynthetic()) {
          // a lambda's class exists only in the JVM that made it: it could never be read back
          throw new KryoException(type.getName() + " is a lambda or other hidden class; store a named class");
        }
        if (Serializable.class.isAssignableFrom(type)
            && (type.getName().startsWith("java.") || replacesItself(type))) {
          return new JavaSerializer();
        }
        return fields.newSerializer(k, type);
      }

      @Override
      public boolean isSupported(Class type) {
        return true;
      }
    });
    return kryo;
  }
}
