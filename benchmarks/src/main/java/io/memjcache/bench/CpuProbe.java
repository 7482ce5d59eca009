package io.memjcache.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * CPU time of this JVM per operation (callers and the clients' I/O threads together) for get, put,
 * putIfAbsent (of a new key), replace(k, old, new), invoke (an increment) and getAll(100), as
 * {@link CacheBench} does them, measured with the process CPU clock rather than the wall clock.
 *
 * <p>On a 2-core machine where the client is the bottleneck, CPU per operation predicts the
 * throughput ratio, and it is far less disturbed than ops/s when other processes share the cores.
 * Not a replacement for the JMH figures; a way to compare two builds of the provider while the
 * machine is busy. Arguments: contenders (comma-separated), threads (default 16), value size
 * (default 100), operations (default get,put,getAll; also putIfAbsent, replace, invoke). Run one
 * contender per JVM when comparing them: they share spymemcached's classes and so the JIT's profiles.
 */
public final class CpuProbe {

  private static final int KEYS = 30_000;
  private static final int REPLACE_KEYS_PER_THREAD = 500;
  private static final List<String> OPERATIONS =
      List.of("get", "put", "putIfAbsent", "replace", "invoke", "getAll");
  private static final long WARMUP_NANOS = Long.getLong("bench.cpu.warmupMillis", 4_000) * 1_000_000;
  private static final long MEASURE_NANOS = Long.getLong("bench.cpu.measureMillis", 6_000) * 1_000_000;

  private CpuProbe() {}

  public static void main(String[] args) throws InterruptedException {
    List<String> contenders = List.of(args[0].split(","));
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int size = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    List<String> operations = List.of((args.length > 3 ? args[3] : "get,put,getAll").split(","));
    for (String op : operations) {
      if (!OPERATIONS.contains(op)) {
        throw new IllegalArgumentException("no operation " + op + "; known: " + OPERATIONS);
      }
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    String[] keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "key:" + i;
    }
    byte[] value = new byte[size];
    new Random(1).nextBytes(value);
    System.out.printf(Locale.ROOT, "%-14s %-12s %6s %4s %12s %12s%n", "contender", "op", "value", "thr",
        "cpu µs/op", "ops/s");
    for (String contender : contenders) {
      try (Store store = Contenders.open(contender)) {
        CacheBench.preload(store, keys, value);
        OwnKeyFlips[] flips = new OwnKeyFlips[threads];
        if (operations.contains("replace")) {
          for (int t = 0; t < threads; t++) {
            flips[t] = flips(store, value, t);
          }
        }
        // every operation once before any is measured: a fresh JVM's JIT compiles for seconds, and
        // the compiler threads' CPU counts in the process's
        for (String op : operations) {
          run(store, keys, value, flips, op, threads, WARMUP_NANOS);
        }
        for (String op : operations) {
          run(store, keys, value, flips, op, threads, WARMUP_NANOS);
          long cpu0 = os.getProcessCpuTime();
          long wall0 = System.nanoTime();
          long ops = run(store, keys, value, flips, op, threads, MEASURE_NANOS);
          long cpu = os.getProcessCpuTime() - cpu0;
          long wall = System.nanoTime() - wall0;
          System.out.printf(Locale.ROOT, "%-14s %-12s %6d %4d %12.1f %12.0f%n", contender, op, size, threads,
              cpu / 1000.0 / ops, ops * 1e9 / wall);
        }
      }
    }
  }

  private static long run(Store store, String[] keys, byte[] value, OwnKeyFlips[] flips, String op,
      int threads, long nanos) throws InterruptedException {
    long[] counts = new long[threads];
    CountDownLatch done = new CountDownLatch(threads);
    String fresh = "new:" + System.nanoTime() + ":"; // keys no earlier run added
    long end = System.nanoTime() + nanos;
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread worker = new Thread(() -> {
        Random random = new Random(id);
        Set<String>[] batches = batches(random, keys);
        long n = 0;
        try {
          while (System.nanoTime() < end) {
            switch (op) {
              case "get" -> store.get(keys[random.nextInt(keys.length)]);
              case "put" -> store.put(keys[random.nextInt(keys.length)], value);
              case "putIfAbsent" -> store.putIfAbsent(fresh + id + ":" + n, value);
              case "replace" -> flips[id].replaceNext(store);
              case "invoke" -> store.increment(keys[random.nextInt(keys.length)]);
              case "getAll" -> store.getAll(batches[(int) (n % batches.length)]);
              default -> throw new IllegalStateException(op); // checked in main
            }
            n++;
          }
        } finally {
          counts[id] = n;
          done.countDown();
        }
      });
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
    done.await();
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return total;
  }

  /**
   * The replace workload of one thread: keys of its own, never touched by the other operations
   * (which change the pre-loaded keys' values), flipped between the value and a variant of it.
   */
  private static OwnKeyFlips flips(Store store, byte[] value, int thread) {
    String[] keys = new String[REPLACE_KEYS_PER_THREAD];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "replace:" + thread + ":" + i;
    }
    CacheBench.preload(store, keys, value);
    byte[] variant = value.clone();
    variant[variant.length - 1] ^= 1;
    return new OwnKeyFlips(keys, value, variant);
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // generic arrays: new Set[n]
  private static Set<String>[] batches(Random random, String[] keys) {
    Set<String>[] batches = new Set[16];
    for (int b = 0; b < batches.length; b++) {
      Set<String> set = new HashSet<>();
      while (set.size() < 100) {
        set.add(keys[random.nextInt(keys.length)]);
      }
      batches[b] = set;
    }
    return batches;
  }
}
