package io.memjcache.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Bytes allocated per get, put and getAll(100), split into the calling thread and all threads (the clients'
 * I/O threads included), counted by the JVM's per-thread allocation counters rather than sampled.
 * Complements JMH's {@code -prof gc}, which reports only the sum: the split tells memjcache's own
 * work on the caller from spymemcached's I/O loop.
 *
 * <p>Arguments: contenders (comma-separated, default the three memcached ones), value sizes
 * (default 100,4096).
 */
public final class AllocProbe {

  private static final int KEYS = 1_000;
  private static final int BATCH = 100;
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
    System.out.printf(Locale.ROOT, "%-14s %6s %-6s %12s %14s %16s%n", "contender", "value", "op",
        "caller B/op", "all thr. B/op", "caller − values");
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
          for (String op : List.of("get", "put", "getAll")) {
            int ops = op.equals("getAll") ? MEASURED / BATCH : MEASURED;
            run(store, keys, value, op, op.equals("getAll") ? WARMUP / BATCH : WARMUP);
            long self = Thread.currentThread().getId();
            long caller0 = threads.getThreadAllocatedBytes(self);
            long all0 = allThreads(threads);
            run(store, keys, value, op, ops);
            long caller = threads.getThreadAllocatedBytes(self) - caller0;
            long all = allThreads(threads) - all0;
            int valueBytes = op.equals("get") ? size : op.equals("getAll") ? size * BATCH : 0;
            System.out.printf(Locale.ROOT, "%-14s %6d %-6s %12.0f %14.0f %16.0f%n", contender, size, op,
                (double) caller / ops, (double) all / ops, (double) caller / ops - valueBytes);
          }
        }
      }
    }
  }

  private static long sink;

  private static void run(Store store, String[] keys, byte[] value, String op, int ops) {
    for (int i = 0; i < ops; i++) {
      String key = keys[i % KEYS];
      switch (op) {
        case "get" -> sink += store.get(key).length;
        case "put" -> store.put(key, value);
        default -> sink += store.getAll(BATCHES[i % BATCHES.length]).size();
      }
    }
  }

  /** getAll batches of {@link #BATCH} distinct keys, built before measuring. */
  private static final Set<String>[] BATCHES = batches();

  @SuppressWarnings({"unchecked", "rawtypes"}) // generic arrays: new Set[n]
  private static Set<String>[] batches() {
    Set<String>[] batches = new Set[16];
    java.util.Random random = new java.util.Random(5);
    for (int b = 0; b < batches.length; b++) {
      Set<String> set = new java.util.HashSet<>();
      while (set.size() < BATCH) {
        set.add("key:" + random.nextInt(KEYS));
      }
      batches[b] = set;
    }
    return batches;
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
