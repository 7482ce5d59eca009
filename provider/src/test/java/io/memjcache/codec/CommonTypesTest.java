package io.memjcache.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CommonTypesTest {

  private final Kryo kryo = KryoSerializer.newKryo(getClass().getClassLoader(), AllowList.parse(""));
  private final CommonTypes common = CommonTypes.learn(kryo);
  private final KryoSerializer serializer = new KryoSerializer(getClass().getClassLoader());

  private byte[] kryoBytes(Object o) {
    try (Output out = new Output(64, -1)) {
      kryo.writeClassAndObject(out, o);
      return out.toBytes();
    }
  }

  private Object kryoRead(byte[] bytes) {
    try (Input in = new Input(bytes)) {
      return kryo.readClassAndObject(in);
    }
  }

  @Test
  void bothShortPathsAreOnWithTheProvidersKryo() {
    assertTrue(common.handlesStrings());
    assertTrue(common.handlesByteArrays());
    assertTrue(serializer.commonTypes().handlesStrings());
  }

  @Test
  void stringsAreWrittenAndReadExactlyAsKryoDoes() {
    Random random = new Random(7);
    for (int i = 0; i < 5_000; i++) {
      String s = randomString(random);
      byte[] expected = kryoBytes(s);
      assertArrayEquals(expected, common.write(s), s);
      assertArrayEquals(expected, serializer.serialize(s), s);
      assertEquals(s, common.read(expected, 0, expected.length));
      assertEquals(s, serializer.deserialize(expected, 0, expected.length));
    }
  }

  @Test
  void stringsAtTheEdgesOfKryosShortAsciiFormAreWrittenAsKryoDoes() {
    // kryo writes 2 to 32 characters of at most 127 in a form of its own: every length around that
    // range, with the highest character in it (127) and the lowest outside it (128) at each place
    for (int length = 0; length <= 40; length++) {
      for (char c : new char[] {0, 'k', 127, 128, 255}) {
        for (int at = 0; at < Math.max(1, length); at++) {
          char[] chars = new char[length];
          Arrays.fill(chars, 'a');
          if (length > 0) {
            chars[at] = c;
          }
          String s = new String(chars);
          byte[] expected = kryoBytes(s);
          assertArrayEquals(expected, common.write(s), () -> s.length() + " chars, " + (int) c + " at " + s.indexOf(c));
          assertEquals(s, common.read(expected, 0, expected.length));
        }
      }
    }
  }

  @Test
  void byteArraysAreWrittenAndReadExactlyAsKryoDoes() {
    Random random = new Random(11);
    for (int size : new int[] {0, 1, 100, 127, 128, 4096, 16_383, 16_384, 100_000, 2_097_152}) {
      byte[] b = new byte[size];
      random.nextBytes(b);
      byte[] expected = kryoBytes(b);
      assertArrayEquals(expected, common.write(b), "size " + size);
      assertArrayEquals(b, (byte[]) common.read(expected, 0, expected.length), "size " + size);
    }
  }

  @Test
  void readsAtAnOffsetAsEnvelopesDo() {
    byte[] value = kryoBytes("a value");
    byte[] framed = new byte[value.length + 10];
    System.arraycopy(value, 0, framed, 5, value.length);
    assertEquals("a value", common.read(framed, 5, value.length));
  }

  @Test
  void otherTypesAreLeftToKryo() {
    for (Object o : List.of(42, 7L, List.of("a"), new int[] {1}, new StringBuilder("x"), 'c')) {
      assertNull(common.write(o));
      byte[] bytes = kryoBytes(o);
      assertSame(CommonTypes.NOT_HANDLED, common.read(bytes, 0, bytes.length), o.toString());
    }
  }

  @Test
  void truncatedByteArraysAreLeftToKryoWhichCallsThemCorrupt() {
    byte[] bytes = kryoBytes(new byte[300]);
    for (int cut = 1; cut < bytes.length; cut++) {
      Object read = common.read(bytes, 0, cut);
      assertSame(CommonTypes.NOT_HANDLED, read, "cut at " + cut);
    }
    assertThrows(CorruptEntryException.class, () -> serializer.deserialize(bytes, 0, bytes.length - 1));
  }

  @Test
  void truncatedStringsReadAsKryoReadsThem() {
    byte[] bytes = kryoBytes("x".repeat(100) + "é");
    for (int cut = 1; cut < bytes.length; cut++) {
      byte[] part = Arrays.copyOf(bytes, cut);
      Object viaKryo;
      try {
        viaKryo = kryoRead(part);
      } catch (RuntimeException e) {
        viaKryo = e.getClass();
      }
      Object shortPath = common.read(part, 0, cut);
      if (shortPath != CommonTypes.NOT_HANDLED) {
        assertEquals(viaKryo, shortPath, "cut at " + cut);
      }
    }
  }

  @Test
  void varIntsMatchKryos() {
    for (int v : new int[] {0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, Integer.MAX_VALUE}) {
      byte[] mine = new byte[5];
      int end = CommonTypes.writeVarInt(mine, 0, v);
      assertEquals(CommonTypes.varIntSize(v), end);
      try (Output out = new Output(8)) {
        out.writeVarInt(v, true);
        assertArrayEquals(out.toBytes(), Arrays.copyOf(mine, end), "value " + v);
      }
    }
  }

  private static String randomString(Random random) {
    int length = random.nextInt(4) == 0 ? random.nextInt(400) : random.nextInt(40);
    StringBuilder sb = new StringBuilder(length);
    int kind = random.nextInt(3);
    for (int i = 0; i < length; i++) {
      switch (kind) {
        case 0 -> sb.append((char) (32 + random.nextInt(95)));
        case 1 -> sb.append((char) random.nextInt(0x800));
        default -> sb.appendCodePoint(random.nextInt(0x10FFFF) & ~0xD800);
      }
    }
    return sb.toString();
  }
}
