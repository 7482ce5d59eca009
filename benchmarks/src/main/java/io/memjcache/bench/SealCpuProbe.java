package io.memjcache.bench;

import io.memjcache.cluster.StoredItem;
import io.memjcache.codec.EncodedKey;
import io.memjcache.codec.EntryCodec;
import io.memjcache.codec.EnvelopeCodec;
import io.memjcache.codec.KeyCodec;
import io.memjcache.codec.KryoSerializer;
import io.memjcache.security.KeyRing;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * The client CPU that sealing adds to one entry, without the network, on this thread's CPU clock
 * (so time the thread spends descheduled on a busy machine does not count): naming the memcached
 * key, building the item a put stores, and opening the item a get reads, with and without a secret.
 * Prints the median of {@link #ROUNDS} rounds in ns per operation. Compare the difference with
 * {@link CpuProbe}'s CPU per cache operation to get the share of sealing. Arguments: value sizes
 * (default 100,4096), secrets (default none,sealed), operations (default name,put,get); to profile
 * one of them, narrow the arguments and raise {@code -Dbench.seal.ops} (calls per round).
 */
public final class SealCpuProbe {

  private static final int WARMUP = 5;
  private static final int ROUNDS = 7;
  private static final int OPS = Integer.getInteger("bench.seal.ops", 100_000);

  private SealCpuProbe() {}

  public static void main(String[] args) {
    String sizes = args.length > 0 ? args[0] : "100,4096";
    String secrets = args.length > 1 ? args[1] : "none,sealed";
    List<String> ops = List.of((args.length > 2 ? args[2] : "name,put,get").split(","));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    System.out.printf(Locale.ROOT, "%-6s %6s %12s %12s %12s%n", "secret", "value", "name ns", "put ns", "get ns");
    for (String size : sizes.split(",")) {
      for (String secret : secrets.split(",")) {
        KeyRing ring = secret.equals("sealed") ? KeyRing.parse("bench", Contenders.BENCH_SECRET) : KeyRing.NONE;
        KeyCodec names = ring.keyCodec("memjcache:bench", "bench").generation(1);
        EntryCodec<String, byte[]> codec = new EntryCodec<>(() -> names,
            new KryoSerializer(SealCpuProbe.class.getClassLoader()), ring.entryFormat("memjcache:bench", "bench"),
            String.class, byte[].class);
        byte[] value = new byte[Integer.parseInt(size)];
        new SplittableRandom(1).nextBytes(value);
        EncodedKey<String> key = codec.encodeKey("key:12345");
        byte[] valueBytes = codec.encodeValue(value);
        StoredItem stored = new StoredItem(EnvelopeCodec.FLAGS, codec.envelope(key, valueBytes, Long.MAX_VALUE), 0);
        double name = ops.contains("name")
            ? median(threads, () -> codec.encodeKey("key:12345").memcachedKey().length()) : Double.NaN;
        double put = ops.contains("put")
            ? median(threads, () -> codec.envelope(key, valueBytes, Long.MAX_VALUE).length) : Double.NaN;
        double get = ops.contains("get") ? median(threads, () -> codec.decode(stored, key).valueLength()) : Double.NaN;
        System.out.printf(Locale.ROOT, "%-6s %6s %12.0f %12.0f %12.0f%n", secret, size, name, put, get);
      }
    }
  }

  /**
   * Median CPU ns per call over {@link #ROUNDS} rounds, after {@link #WARMUP} rounds (one was too
   * few: the first sealed figure of a JVM came out 40 % above the same operation measured later).
   */
  private static double median(ThreadMXBean threads, IntSupplier op) {
    double[] rounds = new double[WARMUP + ROUNDS];
    long sink = 0;
    for (int r = 0; r < rounds.length; r++) {
      long cpu0 = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < OPS; i++) {
        sink += op.getAsInt();
      }
      rounds[r] = (threads.getCurrentThreadCpuTime() - cpu0) / (double) OPS;
    }
    if (sink == 42) {
      System.out.print(""); // keeps the results alive
    }
    double[] measured = Arrays.copyOfRange(rounds, WARMUP, rounds.length);
    Arrays.sort(measured);
    return measured[measured.length / 2];
  }
}
