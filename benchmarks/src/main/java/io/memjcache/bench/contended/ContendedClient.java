package io.memjcache.bench.contended;

import io.memjcache.bench.Increment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import javax.cache.Cache;

/**
 * One client JVM of the contended benchmark, started by {@link WriterJvms}: opens the shared cache,
 * prints {@code @ready}, waits for {@code go} on its standard input (so the JVMs of a case start
 * together), then runs its writer threads, each calling {@code invoke(key, Increment)} on the one hot
 * key for the warm-up and then the measured period, and prints one {@link WriterResult} per thread
 * and {@code @done}. The loops end by time; each invoke is bounded by the operation timeout and the
 * provider's limit on lost CAS races, and the driver kills a JVM that overruns.
 *
 * <p>With local turns, the writers of this JVM take turns (a fair lock around each invoke): what a
 * provider that queued one JVM's writers of a key before its CAS loop would give, measured without
 * changing the provider.
 *
 * <p>Arguments: servers, JVM index, threads, key, warm-up ms, measured ms, operation timeout ms, local
 * turns ({@code true} or {@code false}).
 */
public final class ContendedClient {

  /** How a writer's first error starts on standard error. */
  static final String ERROR = "writer error ";

  private ContendedClient() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    String servers = args[0];
    int jvm = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    String key = args[3];
    long warmupMillis = Long.parseLong(args[4]);
    long measureMillis = Long.parseLong(args[5]);
    Lock turns = Boolean.parseBoolean(args[7]) ? new ReentrantLock(true) : null;
    try (CounterCache counters = new CounterCache(servers, Long.parseLong(args[6]))) {
      System.out.println("@ready");
      System.out.flush();
      String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (!"go".equals(go)) {
        throw new IllegalStateException("expected 'go' from the driver, got " + go);
      }
      long start = System.nanoTime();
      long measureFrom = start + warmupMillis * 1_000_000;
      long end = measureFrom + measureMillis * 1_000_000;
      List<Writer> writers = new ArrayList<>();
      List<Thread> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Writer writer = new Writer(counters.cache(), key, turns, measureFrom, end);
        writers.add(writer);
        running.add(new Thread(writer, "writer-" + t));
        running.get(t).start();
      }
      for (int t = 0; t < threads; t++) {
        Writer writer = writers.get(t);
        running.get(t).join();
        System.out.println(new WriterResult(jvm, t, writer.measured, writer.acked, writer.errors,
            writer.regressions).line());
        if (writer.firstError != null) {
          System.err.println(ERROR + jvm + "/" + t + ": " + writer.firstError);
        }
      }
    }
    System.out.println("@done");
  }

  /** What one writer thread does, and its counts, read after it ended ({@link Thread#join} orders them). */
  private static final class Writer implements Runnable {

    private final Cache<String, byte[]> cache;
    private final String key;
    private final Lock turns; // null: no turns
    private final long measureFrom;
    private final long end;
    private long measured;
    private long acked;
    private long errors;
    private long regressions;
    private String firstError;

    Writer(Cache<String, byte[]> cache, String key, Lock turns, long measureFrom, long end) {
      this.cache = cache;
      this.key = key;
      this.turns = turns;
      this.measureFrom = measureFrom;
      this.end = end;
    }

    @Override
    public void run() {
      long last = Long.MIN_VALUE;
      for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
        long count;
        try {
          count = turns == null ? cache.invoke(key, Increment.INSTANCE) : invokeInTurn();
        } catch (RuntimeException e) {
          errors++;
          firstError = firstError == null ? e.toString() : firstError;
          continue;
        }
        acked++;
        if (now >= measureFrom) {
          measured++;
        }
        if (count <= last) {
          regressions++;
        }
        last = count;
      }
    }

    private long invokeInTurn() {
      turns.lock();
      try {
        return cache.invoke(key, Increment.INSTANCE);
      } finally {
        turns.unlock();
      }
    }
  }
}
