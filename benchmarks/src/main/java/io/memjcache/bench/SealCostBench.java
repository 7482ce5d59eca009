package io.memjcache.bench;

import io.memjcache.cluster.StoredItem;
import io.memjcache.codec.EncodedKey;
import io.memjcache.codec.EntryCodec;
import io.memjcache.codec.Envelope;
import io.memjcache.codec.EnvelopeCodec;
import io.memjcache.codec.KryoSerializer;
import io.memjcache.security.KeyRing;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The client-side CPU that sealing adds to one entry, without the network: naming the memcached
 * key, building the item to store (put), and opening a stored item (get), each with and without a
 * secret. Single-threaded and local, so far steadier than end-to-end figures on a shared machine;
 * divide the difference by {@link CpuProbe}'s CPU per operation to get the share sealing costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SealCostBench {

  @Param({"none", "sealed"})
  public String secret;

  @Param({"100", "4096"})
  public int valueSize;

  EntryCodec<String, byte[]> codec;
  EncodedKey<String> key;
  byte[] valueBytes;
  StoredItem stored;

  @Setup
  public void setUp() {
    KeyRing ring = "sealed".equals(secret) ? KeyRing.parse("bench", Contenders.BENCH_SECRET) : KeyRing.NONE;
    codec = new EntryCodec<>(ring.keyCodec("memjcache:bench", "bench"),
        new KryoSerializer(getClass().getClassLoader()), ring.entryFormat("memjcache:bench", "bench"));
    byte[] value = new byte[valueSize];
    new SplittableRandom(1).nextBytes(value);
    key = codec.encodeKey("key:12345");
    valueBytes = codec.encodeValue(value);
    stored = new StoredItem(EnvelopeCodec.FLAGS, codec.envelope(key, valueBytes, Long.MAX_VALUE), 0);
  }

  @Benchmark
  public String name() {
    return codec.encodeKey("key:12345").memcachedKey();
  }

  @Benchmark
  public byte[] put() {
    return codec.envelope(key, valueBytes, Long.MAX_VALUE);
  }

  @Benchmark
  public Envelope get() {
    return codec.decode(stored, key);
  }
}
