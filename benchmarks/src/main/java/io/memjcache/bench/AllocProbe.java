package io.memjcache.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Bytes allocated per get and per put, split into the calling thread and all threads (the clients'
 * I/O threads included), counted by the JVM's per-thread allocation counters rather than sampled.
 * Complements JMH's {@code -prof gc}, which reports only the sum: the split tells memjcache's own
 * work on the caller from spymemcached's I/O loop.
 *
 * <p>Arguments: contenders (comma-separated, default the three memcached ones), value sizes
 * (default 100,4096).
 */
public final class AllocProbe {

  private static final int KEYS = 1_000;
  private static final int WARMUP = Integer.getInteger("bench.alloc.warmup", 40_000);
  private static final int MEASURED = Integer.getInteger("bench.alloc.ops", 20_000);

  private AllocProbe() {}

  public static void main(String[] args) {
    List<String> contenders = List.of((args.length > 0 ? args[0]
        : Contenders.MEMJCACHE_1 + "," + Contenders.MEMJCACHE_2 + "," + Contenders.SPYMEMCACHED)
        .split(","));
    List<String> sizes = List.of((args.length > 1 ? args[1] : "100,4096").split(","));
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    System.out.printf(Locale.ROOT, "%-14s %6s %-4s %14s %14s %16s%n", "contender", "value", "op",
        "caller B/op", "all thr. B/op", "caller − value");
    for (String contender : contenders) {
      for (String sizeText : sizes) {
        int size = Integer.parseInt(sizeText);
        byte[] value = new byte[size];
        String[] keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
          keys[i] = "key:" + i;
        }
        try (Store store = Contenders.open(contender)) {
          CacheBench.preload(store, keys, value);
          for (String op : List.of("get", "put")) {
            boolean get = op.equals("get");
            run(store, keys, value, get, WARMUP);
            long self = Thread.currentThread().getId();
            long caller0 = threads.getThreadAllocatedBytes(self);
            long all0 = allThreads(threads);
            run(store, keys, value, get, MEASURED);
            long caller = threads.getThreadAllocatedBytes(self) - caller0;
            long all = allThreads(threads) - all0;
            System.out.printf(Locale.ROOT, "%-14s %6d %-4s %14.0f %14.0f %16.0f%n", contender, size, op,
                (double) caller / MEASURED, (double) all / MEASURED,
                (double) caller / MEASURED - (get ? size : 0));
          }
        }
      }
    }
  }

  private static long sink;

  private static void run(Store store, String[] keys, byte[] value, boolean get, int ops) {
    for (int i = 0; i < ops; i++) {
      String key = keys[i % KEYS];
      if (get) {
        byte[] v = store.get(key);
        sink += v.length;
      } else {
        store.put(key, value);
      }
    }
  }

  private static long allThreads(com.sun.management.ThreadMXBean threads) {
    long sum = 0;
    for (long n : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      if (n > 0) {
        sum += n;
      }
    }
    return sum;
  }
}
