package io.memjcache.bench;

import io.memjcache.codec.KryoSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Serializing and reading back a value object through kryo's field serializer, the part of a
 * cache operation that depends on how kryo reaches fields: by reflection (the provider's default,
 * see {@code KryoWithoutUnsafe}) or through {@code sun.misc.Unsafe}. Compare the two in one build by
 * running it once as is and once with {@code -jvmArgsAppend -Dkryo.unsafe=true}. No server needed;
 * {@link CacheBench}'s byte-array values never reach the field serializer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KryoFieldsBench {

  KryoSerializer serializer;
  Order order;
  byte[] bytes;

  @Setup
  public void setUp() {
    serializer = new KryoSerializer(KryoFieldsBench.class.getClassLoader());
    order = Order.sample();
    bytes = serializer.serialize(order);
  }

  @Benchmark
  public byte[] serialize() {
    return serializer.serialize(order);
  }

  @Benchmark
  public Object deserialize() {
    return serializer.deserialize(bytes, 0, bytes.length);
  }

  /** A typical cached value: primitives, strings, a nested list of small objects. */
  static final class Order {
    private long id;
    private int quantity;
    private double total;
    private boolean paid;
    private String customer;
    private final List<Line> lines = new ArrayList<>();

    static Order sample() {
      Order order = new Order();
      order.id = 1_234_567_890L;
      order.quantity = 7;
      order.total = 149.95;
      order.paid = true;
      order.customer = "alice@example.com";
      for (int i = 0; i < 8; i++) {
        order.lines.add(new Line("sku-" + i, i + 1, 9.99 * (i + 1)));
      }
      return order;
    }
  }

  static final class Line {
    private final String sku;
    private final int count;
    private final double price;

    Line(String sku, int count, double price) {
      this.sku = sku;
      this.count = count;
      this.price = price;
    }
  }
}
