package io.memjcache.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The workloads, each run against every contender ({@code contender}) and value size
 * ({@code valueSize}). Thread count and mode come from the command line ({@code -t 1|16},
 * {@code -bm thrpt|sample}); benchmarks/run.sh runs the matrix.
 *
 * <p>Each fork opens one contender: for the memcached contenders a fresh 3-node cluster, for
 * Redisson an emptied redis-server. It then pre-loads {@link #KEYS} keys (30,000: far more than one
 * node's share) with a value of {@code valueSize} bytes whose first 8 bytes are a counter at 0.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Djava.net.preferIPv4Stack=true"})
public class CacheBench {

  static final int KEYS = Integer.getInteger("bench.keys", 30_000);
  static final int BATCH = 100;
  /** Pre-built getAll / putAll batches per thread, used round-robin (so no building in the op). */
  static final int BATCHES_PER_THREAD = 64;

  @Param({Contenders.MEMJCACHE_1, Contenders.MEMJCACHE_2, Contenders.SPYMEMCACHED,
      Contenders.REDISSON})
  public String contender;

  @Param({"100", "4096"})
  public int valueSize;

  Store store;
  String[] keys;
  String[] missingKeys;
  /** The pre-loaded value (counter 0), and a second one of the same size for replace. */
  byte[] valueA;
  byte[] valueB;

  @Setup(Level.Trial)
  public void open() {
    keys = new String[KEYS];
    missingKeys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "key:" + i;
      missingKeys[i] = "absent:" + i;
    }
    SplittableRandom random = new SplittableRandom(42);
    valueA = new byte[valueSize];
    for (int i = 8; i < valueSize; i++) {
      valueA[i] = (byte) random.nextInt(256);
    }
    valueB = valueA.clone();
    valueB[valueSize - 1] ^= 0x5A;
    store = Contenders.open(contender);
    preload(store, keys, valueA);
  }

  static void preload(Store store, String[] keys, byte[] value) {
    Map<String, byte[]> batch = new HashMap<>();
    for (String key : keys) {
      batch.put(key, value);
      if (batch.size() == 500) {
        store.putAll(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      store.putAll(batch);
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    if (store != null) {
      store.close();
    }
  }

  /** Per-thread: a random stream, its own slice of keys for replace, pre-built batches. */
  @State(Scope.Thread)
  public static class Worker {
    SplittableRandom random;
    int threadIndex;
    OwnKeyFlips flips;
    long fresh;
    Set<String>[] keySets;
    Map<String, byte[]>[] entryMaps;
    int batchCursor;

    @Setup(Level.Trial)
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic arrays: new Set[n]
    public void init(CacheBench bench, ThreadParams thread) {
      threadIndex = thread.getThreadIndex();
      random = new SplittableRandom(1_000 + threadIndex);
      int threads = thread.getThreadCount();
      String[] own = new String[(KEYS - threadIndex + threads - 1) / threads];
      for (int i = threadIndex, j = 0; i < KEYS; i += threads, j++) {
        own[j] = bench.keys[i];
      }
      flips = new OwnKeyFlips(own, bench.valueA, bench.valueB);
      keySets = new Set[BATCHES_PER_THREAD];
      entryMaps = new Map[BATCHES_PER_THREAD];
      for (int b = 0; b < BATCHES_PER_THREAD; b++) {
        Set<String> set = new HashSet<>();
        while (set.size() < BATCH) {
          set.add(bench.keys[random.nextInt(KEYS)]);
        }
        keySets[b] = set;
        Map<String, byte[]> map = new HashMap<>();
        for (String key : set) {
          map.put(key, bench.valueA);
        }
        entryMaps[b] = map;
      }
    }

    String anyKey(CacheBench bench) {
      return bench.keys[random.nextInt(KEYS)];
    }

    int nextBatch() {
      int b = batchCursor;
      batchCursor = (b + 1) % BATCHES_PER_THREAD;
      return b;
    }
  }

  @Benchmark
  public byte[] getHit(Worker w) {
    return store.get(w.anyKey(this));
  }

  @Benchmark
  public byte[] getMiss(Worker w) {
    return store.get(missingKeys[w.random.nextInt(KEYS)]);
  }

  @Benchmark
  public String put(Worker w) {
    String key = w.anyKey(this);
    store.put(key, valueA);
    return key;
  }

  /** Always on a key never written before, so every call really adds an entry. */
  @Benchmark
  public boolean putIfAbsent(Worker w) {
    return store.putIfAbsent("new:" + w.threadIndex + ":" + (w.fresh++), valueA);
  }

  /** replace(k, old, new) that succeeds, on the thread's own slice of the keys. */
  @Benchmark
  public boolean replace(Worker w) {
    return w.flips.replaceNext(store);
  }

  /** invoke(k, increment): the counter in the value's first 8 bytes, on a random key. */
  @Benchmark
  public long invoke(Worker w) {
    return store.increment(w.anyKey(this));
  }

  @Benchmark
  public Map<String, byte[]> getAll(Worker w) {
    return store.getAll(w.keySets[w.nextBatch()]);
  }

  @Benchmark
  public int putAll(Worker w) {
    Map<String, byte[]> entries = w.entryMaps[w.nextBatch()];
    store.putAll(entries);
    return entries.size();
  }

  /** 90 % get (hit), 10 % put, on random keys. */
  @Benchmark
  public Object mix(Worker w) {
    String key = w.anyKey(this);
    if (w.random.nextInt(10) == 0) {
      store.put(key, valueA);
      return key;
    }
    return store.get(key);
  }
}
