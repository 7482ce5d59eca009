package io.memjcache.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class BoundedInputTest {

  private static byte[] written(Consumer<Output> writer) {
    try (Output out = new Output(16, -1)) {
      writer.accept(out);
      return out.toBytes();
    }
  }

  private static BoundedInput over(byte[] bytes) {
    return new BoundedInput(bytes, 0, bytes.length);
  }

  @Test
  void stringsCharsAndArraysOfTheirRealLengthAreReadAsKryoWroteThem() {
    byte[] bytes = written(out -> {
      out.writeString("héllo wörld ✓");
      out.writeString("ascii");
      out.writeString(null);
      out.writeInts(new int[] {1, -2, 3}, 0, 3);
      out.writeBoolean(true);
      out.writeBoolean(false);
    });
    BoundedInput in = over(bytes);
    assertEquals("héllo wörld ✓", in.readString());
    assertEquals("ascii", in.readString());
    assertEquals(null, in.readString());
    assertArrayEquals(new int[] {1, -2, 3}, in.readInts(3));
    assertEquals(true, in.readBoolean());
    assertEquals(false, in.readBoolean());
    assertEquals(0, in.remaining());
  }

  @Test
  void aLengthBeyondTheBytesLeftIsRefusedBeforeAnythingIsAllocated() {
    BoundedInput in = over(new byte[10]);
    for (Runnable read : new Runnable[] {() -> in.readBytes(Integer.MAX_VALUE), () -> in.readInts(1 << 30),
        () -> in.readLongs(11), () -> in.readChars(Integer.MAX_VALUE), () -> in.readBooleans(11),
        () -> in.readDoubles(1 << 29), () -> in.requireElements(-1)}) {
      assertThrows(KryoException.class, read::run);
    }
  }

  @Test
  void aStringClaimingTwoBillionCharactersIsRefused() {
    // kryo's UTF-8 form: 0x80 marks it, 0x40 continues the count (count + 1) in 7-bit groups
    byte[] bytes = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 'x'};
    KryoException e = assertThrows(KryoException.class, () -> over(bytes).readString());
    assertEquals(true, e.getMessage().contains("exceeds"), e.getMessage());
    assertThrows(KryoException.class, () -> over(bytes).readStringBuilder());
  }

  @Test
  void malformedUtf8ThatKryoWouldReadLooselyIsRefused() {
    byte[] good = written(out -> out.writeString("ü"));
    byte[] bad = good.clone();
    bad[bad.length - 1] ^= 0x40; // a continuation byte that is no continuation byte
    assertEquals("ü", over(good).readString());
    assertThrows(KryoException.class, () -> over(bad).readString());
  }

  @Test
  void aBooleanByteOtherThanZeroOrOneIsRefused() {
    assertThrows(KryoException.class, () -> over(new byte[] {2}).readBoolean());
    assertThrows(KryoException.class, () -> over(new byte[] {1, 16}).readBooleans(2));
  }

  @Test
  void peekingAVarIntConsumesNothing() {
    BoundedInput in = over(written(out -> out.writeVarInt(300, true)));
    assertEquals(300, in.peekVarInt());
    assertEquals(300, in.readVarInt(true));
    assertThrows(KryoException.class, in::peekVarInt);
  }
}
