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
 * CPU time of this JVM per operation (callers and the clients' I/O threads together) for get, put
 * and getAll(100), measured with the process CPU clock rather than the wall clock.
 *
 * <p>On a 2-core machine where the client is the bottleneck, CPU per operation predicts the
 * throughput ratio, and it is far less disturbed than ops/s when other processes share the cores.
 * Not a replacement for the JMH figures; a way to compare two builds of the provider while the
 * machine is busy. Arguments: contenders (comma-separated), threads (default 16), value size
 * (default 100), operations (default get,put,getAll).
 */
public final class CpuProbe {

  private static final int KEYS = 30_000;
  private static final long WARMUP_NANOS = Long.getLong("bench.cpu.warmupMillis", 4_000) * 1_000_000;
  private static final long MEASURE_NANOS = Long.getLong("bench.cpu.measureMillis", 6_000) * 1_000_000;

  private CpuProbe() {}

  public static void main(String[] args) throws InterruptedException {
    List<String> contenders = List.of(args[0].split(","));
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int size = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    List<String> operations = List.of((args.length > 3 ? args[3] : "get,put,getAll").split(","));
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    String[] keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "key:" + i;
    }
    byte[] value = new byte[size];
    new Random(1).nextBytes(value);
    System.out.printf(Locale.ROOT, "%-14s %-7s %6s %4s %12s %12s%n", "contender", "op", "value", "thr",
        "cpu µs/op", "ops/s");
    for (String contender : contenders) {
      try (Store store = Contenders.open(contender)) {
        CacheBench.preload(store, keys, value);
        for (String op : operations) {
          run(store, keys, value, op, threads, WARMUP_NANOS);
          long cpu0 = os.getProcessCpuTime();
          long wall0 = System.nanoTime();
          long ops = run(store, keys, value, op, threads, MEASURE_NANOS);
          long cpu = os.getProcessCpuTime() - cpu0;
          long wall = System.nanoTime() - wall0;
          System.out.printf(Locale.ROOT, "%-14s %-7s %6d %4d %12.1f %12.0f%n", contender, op, size, threads,
              cpu / 1000.0 / ops, ops * 1e9 / wall);
        }
      }
    }
  }

  private static long run(Store store, String[] keys, byte[] value, String op, int threads, long nanos)
      throws InterruptedException {
    long[] counts = new long[threads];
    CountDownLatch done = new CountDownLatch(threads);
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
              default -> store.getAll(batches[(int) (n % batches.length)]);
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
