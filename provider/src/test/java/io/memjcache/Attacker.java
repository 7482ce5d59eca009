package io.memjcache;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import io.memjcache.codec.AllowList;
import io.memjcache.codec.Envelope;
import io.memjcache.codec.EnvelopeCodec;
import io.memjcache.codec.KryoSerializer;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Someone who reaches the memcached port and writes items as they please: valid envelopes (the
 * checksum is not keyed) holding value or key bytes of their choosing, written over a plain socket.
 *
 * <p>The bytes come from two writers: stock kryo with references (as this provider wrote before it
 * treated stored bytes as untrusted) and this provider's own serializer with every class allowed
 * (today's format, so the reader's checks, not a format mismatch, must stop them).
 */
final class Attacker {

  /** Serializes an object, each writer its own way. */
  enum Writer {
    STOCK_KRYO(o -> stockKryoBytes(o)),
    PROVIDER_ALLOWING_ALL(o -> ALLOW_ALL.serialize(o));

    private final Function<Object, byte[]> serializer;

    Writer(Function<Object, byte[]> serializer) {
      this.serializer = serializer;
    }

    byte[] bytes(Object object) {
      return serializer.apply(object);
    }
  }

  private static final KryoSerializer ALLOW_ALL =
      new KryoSerializer(Fixtures.LOADER, AllowList.parse("io.memjcache.**,java.**"));

  private Attacker() {}

  /** Writes an entry of {@code key} with these value bytes on every node; returns its memcached key. */
  static String plant(MemcachedCluster cluster, MemcachedCacheManager manager, String cache, Object key,
      byte[] valueBytes) throws IOException {
    String memcachedKey = Fixtures.memcachedKey(manager, cache, key);
    Fixtures.rawSetEverywhere(cluster, memcachedKey, EnvelopeCodec.FLAGS,
        EnvelopeCodec.encode(Fixtures.keyBytes(key), valueBytes, Envelope.ETERNAL, 1));
    return memcachedKey;
  }

  /** Writes an entry whose key bytes are these, under the memcached key of {@code nameOf}. */
  static String plantKey(MemcachedCluster cluster, MemcachedCacheManager manager, String cache,
      Object nameOf, byte[] keyBytes) throws IOException {
    String memcachedKey = Fixtures.memcachedKey(manager, cache, nameOf);
    Fixtures.rawSetEverywhere(cluster, memcachedKey, EnvelopeCodec.FLAGS,
        EnvelopeCodec.encode(keyBytes, Fixtures.kryo("value"), Envelope.ETERNAL, 1));
    return memcachedKey;
  }

  /** Returns if no node holds the item any more. */
  static boolean goneEverywhere(MemcachedCluster cluster, String memcachedKey) throws IOException {
    for (MemcachedProcess node : cluster.nodes()) {
      if (!Fixtures.rawGet(node, memcachedKey).equals("END\r\n")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Nests a value {@code depth} times, in bytes only (writing it would overflow the writer's stack):
   * from the bytes of one and two levels, the second level's extra bytes are repeated.
   */
  static byte[] nested(byte[] one, byte[] two, int depth) {
    int prefix = 0;
    while (prefix < one.length && one[prefix] == two[prefix]) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < one.length - prefix && one[one.length - 1 - suffix] == two[two.length - 1 - suffix]) {
      suffix++;
    }
    byte[] level = Arrays.copyOfRange(two, prefix, two.length - suffix);
    byte[] out = new byte[one.length + level.length * (depth - 1)];
    System.arraycopy(one, 0, out, 0, prefix);
    for (int i = 0; i < depth - 1; i++) {
      System.arraycopy(level, 0, out, prefix + i * level.length, level.length);
    }
    System.arraycopy(one, prefix, out, prefix + level.length * (depth - 1), one.length - prefix);
    return out;
  }

  /**
   * Replaces the length byte of a one-element container with a varint claiming {@code length}:
   * found as the one byte where the serializations of one and two elements differ first.
   */
  static byte[] claimingLength(byte[] one, byte[] two, int length) {
    int at = 0;
    while (one[at] == two[at]) {
      at++;
    }
    byte[] varint = varInt(length);
    byte[] out = new byte[one.length - 1 + varint.length];
    System.arraycopy(one, 0, out, 0, at);
    System.arraycopy(varint, 0, out, at, varint.length);
    System.arraycopy(one, at + 1, out, at + varint.length, one.length - at - 1);
    return out;
  }

  /**
   * Renames a class in serialized bytes (names of equal length): kryo writes an ASCII name with the
   * high bit set on its last character, Java serialization writes it plain; both are replaced.
   */
  static byte[] renamed(byte[] bytes, String from, String to) {
    byte[] out = bytes.clone();
    int last = from.length() - 1;
    for (int i = 0; i + from.length() <= out.length; i++) {
      boolean match = true;
      for (int j = 0; j < last && match; j++) {
        match = out[i + j] == from.charAt(j);
      }
      int end = out[i + last] & 0xFF;
      if (match && (end & 0x7F) == from.charAt(last)) {
        for (int j = 0; j < last; j++) {
          out[i + j] = (byte) to.charAt(j);
        }
        out[i + last] = (byte) (to.charAt(last) | (end & 0x80));
      }
    }
    return out;
  }

  private static byte[] varInt(int value) {
    byte[] out = new byte[5];
    int n = 0;
    while ((value & ~0x7F) != 0) {
      out[n++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[n++] = (byte) value;
    return Arrays.copyOf(out, n);
  }

  /** Bytes as stock kryo writes them, configured as this provider's kryo used to be. */
  static byte[] stockKryoBytes(Object object) {
    Kryo kryo = new Kryo();
    kryo.setRegistrationRequired(false);
    kryo.setReferences(true);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    SerializerFactory<?> fields = new SerializerFactory.FieldSerializerFactory();
    kryo.setDefaultSerializer(new SerializerFactory<Serializer<?>>() {
      @Override
      @SuppressWarnings("rawtypes") // kryo's factory API takes raw classes
      public Serializer<?> newSerializer(Kryo k, Class type) {
        return Serializable.class.isAssignableFrom(type) && type.getName().startsWith("java.")
            ? new JavaSerializer()
            : fields.newSerializer(k, type);
      }

      @Override
      @SuppressWarnings("rawtypes") // kryo's factory API takes raw classes
      public boolean isSupported(Class type) {
        return true;
      }
    });
    try (Output output = new Output(64, -1)) {
      kryo.writeClassAndObject(output, object);
      return output.toBytes();
    }
  }

  static List<Writer> writers() {
    return List.of(Writer.values());
  }
}
