package io.memjcache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.util.Pool;
import java.io.Serializable;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.UUID;
import javax.cache.CacheException;
import org.jspecify.annotations.Nullable;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Turns keys and values into bytes and back with kryo, which is what makes the cache store by value.
 *
 * <p>Kryo instances are not thread-safe and costly to build, so they are pooled per class loader
 * (one serializer per cache manager). Classes need no registration; JDK classes kryo has no
 * serializer of its own for fall back to Java serialization, because kryo's field serializer cannot
 * reach into {@code java.*} internals on Java 17. Strings and byte arrays skip the pool and kryo's
 * class resolution, with kryo's exact bytes ({@link CommonTypes}).
 *
 * <p>Stored bytes are untrusted input (anyone who reaches a memcached port can write them), so
 * reading guarantees:
 * <ul>
 *   <li>only classes of the caller's {@link AllowList} are loaded or instantiated, also inside Java
 *       serialization ({@link AllowListClassResolver}, {@link FilteredJavaSerializer});
 *   <li>no allocation larger than the bytes left ({@link BoundedInput}), nesting at most
 *       {@link BoundedKryo#MAX_DEPTH} deep, and no shared references, so the objects read are at
 *       most as many as the bytes and no shared-reference graph can make their hash codes explode
 *       (a value's graph is written as a tree; a cyclic one cannot be stored);
 *   <li>the value consumes its bytes exactly;
 *   <li>every failure, whatever kryo or a constructor throws, is a {@link CorruptEntryException}.
 * </ul>
 * Writing refuses, at once, a value whose classes reading would refuse.
 */
public final class KryoSerializer {

  private static final int MAX_POOLED = 64;

  private final Pool<Kryo> pool;
  private final CommonTypes common;
  private final AllowList allowList;

  /** A serializer that reads only the JDK's value and collection types. */
  public KryoSerializer(ClassLoader classLoader) {
    this(classLoader, AllowList.parse(""));
  }

  public KryoSerializer(ClassLoader classLoader, AllowList allowList) {
    this.allowList = allowList;
    this.pool = new Pool<>(true, true, MAX_POOLED) {
      @Override
      protected Kryo create() {
        return newKryo(classLoader, allowList);
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

  /** The classes this manager's caches may read, before each cache adds its own types. */
  public AllowList allowList() {
    return allowList;
  }

  /** {@link #serialize(Object, AllowList)} readable with this serializer's own list. */
  public byte[] serialize(Object object) {
    return serialize(object, allowList);
  }

  /**
   * Serializes an object with its class, or throws a {@link CacheException} naming the class: a
   * {@link ClassNotAllowedException} when {@code readable} would refuse it on reading.
   */
  public byte[] serialize(Object object, AllowList readable) {
    byte[] common = this.common.write(object);
    if (common != null) {
      return common;
    }
    Kryo kryo = obtain(readable);
    try (Output output = new Output(64, -1)) {
      kryo.writeClassAndObject(output, object);
      return output.toBytes();
    } catch (RuntimeException | StackOverflowError e) {
      ClassNotAllowedException refused = refusalIn(e);
      if (refused != null) {
        throw refused.storing(object);
      }
      // kryo fails in many ways on what it cannot handle: its own exceptions, reflection refused
      // by the JDK's modules, stack overflows on deep or cyclic graphs
      throw new CacheException("cannot serialize " + object.getClass().getName()
          + " (memcached stores bytes, so keys and values must be serializable by kryo, as a tree at most "
          + BoundedKryo.MAX_DEPTH + " levels deep): " + e.getMessage(), e);
    } finally {
      pool.free(kryo);
    }
  }

  /** {@link #deserialize(byte[], int, int, AllowList)} with this serializer's own list. */
  public Object deserialize(byte[] bytes, int offset, int length) {
    return deserialize(bytes, offset, length, allowList);
  }

  /** Deserializes bytes made by {@link #serialize}, instantiating only classes {@code readable} allows. */
  public Object deserialize(byte[] bytes, int offset, int length, AllowList readable) {
    Object common = this.common.read(bytes, offset, length);
    if (common != CommonTypes.NOT_HANDLED) {
      return common;
    }
    Kryo kryo = obtain(readable);
    try (BoundedInput input = new BoundedInput(bytes, offset, length)) {
      Object object = kryo.readClassAndObject(input);
      if (input.remaining() != 0) {
        throw new CorruptEntryException(input.remaining() + " bytes left after the stored value");
      }
      return object;
    } catch (CorruptEntryException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      // whatever the bytes make kryo, a serializer or a constructor throw: these bytes are bad
      ClassNotAllowedException refused = refusalIn(e);
      throw new CorruptEntryException("cannot deserialize stored bytes: "
          + (refused != null ? refused.getMessage() : e.toString()), e);
    } finally {
      pool.free(kryo);
    }
  }

  private Kryo obtain(AllowList readable) {
    Kryo kryo = pool.obtain();
    ((AllowListClassResolver) kryo.getClassResolver()).use(readable);
    return kryo;
  }

  private static @Nullable ClassNotAllowedException refusalIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ClassNotAllowedException refused) {
        return refused;
      }
    }
    return null;
  }
  /**
   * Returns if a class takes part in its own serialization ({@code readResolve} / {@code writeReplace},
   * e.g. singletons such as Hibernate's placeholder objects, which are compared with {@code ==}):
   * kryo's field serializer would skip those methods and hand back a copy.
   */
  static boolean replacesItself(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getParameterCount() == 0
            && (m.getName().equals("readResolve") || m.getName().equals("writeReplace"))) {
          return true;
        }
      }
    }
    return false;
  }

  static Kryo newKryo(ClassLoader classLoader, AllowList allowList) {
    KryoWithoutUnsafe.decide();
    Kryo kryo = new BoundedKryo(new AllowListClassResolver(allowList));
    kryo.setRegistrationRequired(false);
    // no back-references: a stored value is a tree, so shared-reference bombs cannot be expressed
    kryo.setReferences(false);
    kryo.setClassLoader(classLoader);
    // kryo's own exact forms, rather than Java serialization, which reads an unknown field name as
    // a missing field and so turns damaged bytes into a different value
    kryo.addDefaultSerializer(UUID.class, new DefaultSerializers.UUIDSerializer());
    kryo.addDefaultSerializer(URI.class, new DefaultSerializers.URISerializer());
    kryo.setInstantiatorStrategy(new com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy(
        new StdInstantiatorStrategy()));
    SerializerFactory<?> fields = new SerializerFactory.FieldSerializerFactory();
    kryo.setDefaultSerializer(new SerializerFactory<Serializer<?>>() {
      @Override
      @SuppressWarnings({"rawtypes", "unchecked"}) // kryo's factory API takes raw classes
      public Serializer<?> newSerializer(Kryo k, Class type) {
        if (type.isHidden() || type.isSynthetic()) {
          // a lambda's class exists only in the JVM that made it: it could never be read back
          throw new KryoException(type.getName() + " is a lambda or other hidden class; store a named class");
        }
        if (Serializable.class.isAssignableFrom(type)
            && (type.getName().startsWith("java.") || replacesItself(type))) {
          return new FilteredJavaSerializer();
        }
        return new Fingerprinted<>(fields.newSerializer(k, type), type);
      }

      @Override
      @SuppressWarnings("rawtypes") // kryo's factory API takes raw classes
      public boolean isSupported(Class type) {
        return true;
      }
    });
    return kryo;
  }
}
