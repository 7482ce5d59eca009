package io.memjcache.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.util.Util;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KryoWithoutUnsafeTest {

  /** The serializer of a manager that allows this test's classes (deserialization is deny-by-default). */
  static KryoSerializer serializer(ClassLoader loader) {
    return new KryoSerializer(loader, AllowList.parse(KryoWithoutUnsafeTest.class.getName()));
  }

  private final KryoSerializer kryo = serializer(getClass().getClassLoader());

  @Test
  void theProvidersKryoRunsWithoutUnsafeAndLeavesNoSystemPropertyBehind() {
    assertFalse(Util.unsafe, "kryo's field serializer must not use sun.misc.Unsafe (a JDK warning from Java 24 on)");
    assertNull(System.getProperty(KryoWithoutUnsafe.PROPERTY), "the property is set only while kryo decides");
  }

  @Test
  void entriesWrittenByAKryoOnUnsafeReadTheSameAndTheUsersPropertyDecides() throws Exception {
    // a JVM started with -Dkryo.unsafe=true: the user's choice stands, and its bytes are ours
    List<String> lines = runWithUnsafeKryo();
    assertEquals("unsafe=true", lines.get(0), "a kryo.unsafe the user set must be left to decide");
    byte[] theirs = Base64.getDecoder().decode(lines.get(1));
    assertArrayEquals(kryo.serialize(Sample.filled()), theirs);
    assertEquals(Sample.filled(), kryo.deserialize(theirs, 0, theirs.length));
  }

  private static List<String> runWithUnsafeKryo() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-Dkryo.unsafe=true",
        "-cp", System.getProperty("java.class.path"), UnsafeKryoWriter.class.getName())
        // its stderr carries the JDK's Unsafe warning on Java 24+, expected there and kept out of the build log
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish in 60 s");
      assertEquals(0, child.exitValue(), "the child JVM failed");
      return new String(child.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
    } finally {
      child.destroyForcibly();
    }
  }

  /** Run in a child JVM: prints kryo's Unsafe decision and the serialized sample in base64. */
  static final class UnsafeKryoWriter {
    public static void main(String[] args) {
      byte[] bytes = serializer(UnsafeKryoWriter.class.getClassLoader()).serialize(Sample.filled());
      System.out.println("unsafe=" + Util.unsafe);
      System.out.println(Base64.getEncoder().encodeToString(bytes));
    }
  }

  /** Fields of every kind kryo's field serializer handles: primitives, final, objects, a collection. */
  static final class Sample {
    private final int count;
    private long total;
    private double ratio;
    private boolean flag;
    private char letter;
    private final String name;
    private final List<Part> parts = new ArrayList<>();

    Sample(int count, String name) {
      this.count = count;
      this.name = name;
    }

    static Sample filled() {
      Sample s = new Sample(-42, "sample");
      s.total = Long.MIN_VALUE + 7;
      s.ratio = 0.1;
      s.flag = true;
      s.letter = 'é';
      s.parts.add(new Part());
      s.parts.get(0).weight = 3.5f;
      s.parts.get(0).code = 12345;
      return s;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Sample s && count == s.count && total == s.total && ratio == s.ratio
          && flag == s.flag && letter == s.letter && name.equals(s.name) && parts.equals(s.parts);
    }

    @Override
    public int hashCode() {
      return Objects.hash(count, name);
    }
  }

  /** A public class with public fields: the path where kryo without Unsafe uses ReflectASM. */
  public static final class Part {
    public float weight;
    public int code;

    @Override
    public boolean equals(Object o) {
      return o instanceof Part p && weight == p.weight && code == p.code;
    }

    @Override
    public int hashCode() {
      return code;
    }
  }
}
