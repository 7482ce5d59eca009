package io.memjcache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;

/**
 * Java serialization, for the classes kryo's field serializer cannot handle (JDK internals, classes
 * with {@code readResolve}/{@code writeReplace}), under the same {@link AllowList} as kryo.
 *
 * <ul>
 *   <li>Stored as a varint length and the stream; the length is checked against the bytes left.
 *   <li>A class name is checked in {@code resolveClass} before it is loaded; proxies are refused.
 *   <li>An {@link ObjectInputFilter} bounds the nesting depth ({@link #MAX_DEPTH}, which also bounds
 *       the work of shared-reference set bombs to 2^{@value #MAX_DEPTH}), the references, the array
 *       lengths and the stream bytes by the stream's own size.
 *   <li>Writing checks every class the stream describes, so a put that could not be read back fails.
 * </ul>
 */
final class FilteredJavaSerializer extends Serializer<Object> {

  static final int MAX_DEPTH = 16;

  @Override
  public void write(Kryo kryo, Output output, Object object) {
    AllowList allowList = ((AllowListClassResolver) kryo.getClassResolver()).allowList();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (ObjectOutputStream out = new CheckingOutputStream(bytes, allowList)) {
      out.writeObject(object);
    } catch (IOException e) {
      throw new KryoException("Java serialization of " + object.getClass().getName() + " failed", e);
    }
    output.writeVarInt(bytes.size(), true);
    output.writeBytes(bytes.toByteArray());
  }

  @Override
  public Object read(Kryo kryo, Input input, Class<?> type) {
    AllowList allowList = ((AllowListClassResolver) kryo.getClassResolver()).allowList();
    int length = input.readVarInt(true);
    byte[] stream = input.readBytes(length); // BoundedInput checks the length first
    try (ObjectInputStream in = new FilteredInputStream(new ByteArrayInputStream(stream), allowList,
        kryo.getClassLoader())) {
      in.setObjectInputFilter(limits(length));
      return in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new KryoException("Java deserialization failed: " + e.getMessage(), e);
    }
  }

  private static ObjectInputFilter limits(int streamLength) {
    return info -> info.depth() > MAX_DEPTH || info.references() > streamLength
        || info.arrayLength() > streamLength || info.streamBytes() > streamLength
        ? ObjectInputFilter.Status.REJECTED
        : ObjectInputFilter.Status.UNDECIDED;
  }

  /** Refuses a class by name before loading it. */
  private static final class FilteredInputStream extends ObjectInputStream {

    private final AllowList allowList;
    private final ClassLoader loader;

    FilteredInputStream(InputStream in, AllowList allowList, ClassLoader loader) throws IOException {
      super(in);
      this.allowList = allowList;
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      if (!allowList.allows(desc.getName())) {
        throw new InvalidClassException(AllowList.refusal(desc.getName()));
      }
      try {
        return Class.forName(desc.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc); // primitives and the JDK's own classes
      }
    }

    @Override
    protected Class<?> resolveProxyClass(String[] interfaces) throws IOException {
      throw new InvalidClassException("dynamic proxies are never deserialized");
    }
  }

  /** Refuses, while writing, a class that reading would refuse. */
  private static final class CheckingOutputStream extends ObjectOutputStream {

    private final AllowList allowList;

    CheckingOutputStream(OutputStream out, AllowList allowList) throws IOException {
      super(out);
      this.allowList = allowList;
    }

    @Override
    protected void annotateClass(Class<?> cl) {
      if (!allowList.allows(cl.getName())) {
        throw new ClassNotAllowedException(cl.getName());
      }
    }

    @Override
    protected void annotateProxyClass(Class<?> cl) throws IOException {
      throw new InvalidClassException(cl.getName(), "dynamic proxies are never deserialized");
    }
  }
}
