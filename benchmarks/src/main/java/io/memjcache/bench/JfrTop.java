package io.memjcache.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes a JFR recording of one benchmark: where the CPU samples fall (by thread group, by top
 * frame, by memjcache method inclusive, by memjcache package) and who allocates. Used by benchmarks/profile.sh.
 *
 * <p>Arguments: a .jfr file, or a directory searched for .jfr files; then optionally how many rows.
 */
public final class JfrTop {

  private final Map<String, Long> threads = new HashMap<>();
  private final Map<String, Long> selfFrames = new HashMap<>();
  private final Map<String, Long> ourInclusive = new HashMap<>();
  private final Map<String, Long> ourFirstFrame = new HashMap<>();
  private final Map<String, Long> layers = new HashMap<>();
  private final Map<String, Long> allocByFrame = new HashMap<>();
  private final Map<String, Long> allocByOurFrame = new HashMap<>();
  private final Map<String, Long> allocByClass = new HashMap<>();
  private long samples;
  private long allocated;
  private long cpuLoads;
  private double jvmCpu;
  private double machineCpu;

  private JfrTop() {}

  public static void main(String[] args) throws IOException {
    Path where = Path.of(args[0]);
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(where)) {
      try (Stream<Path> s = Files.walk(where)) {
        s.filter(p -> p.toString().endsWith(".jfr")).sorted().forEach(files::add);
      }
    } else {
      files.add(where);
    }
    for (Path file : files) {
      JfrTop top = new JfrTop();
      top.read(file);
      top.print(file, rows);
    }
  }

  private void read(Path file) throws IOException {
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent e = recording.readEvent();
        String type = e.getEventType().getName();
        if (type.equals("jdk.ExecutionSample")) {
          execution(e);
        } else if (type.equals("jdk.ObjectAllocationSample")) {
          allocation(e);
        } else if (type.equals("jdk.CPULoad")) {
          cpuLoads++;
          jvmCpu += e.getFloat("jvmUser") + e.getFloat("jvmSystem");
          machineCpu += e.getFloat("machineTotal");
        }
      }
    }
  }

  private void execution(RecordedEvent e) {
    RecordedStackTrace stack = e.getStackTrace();
    if (stack == null || stack.getFrames().isEmpty()) {
      return;
    }
    samples++;
    RecordedThread thread = e.getThread("sampledThread");
    add(threads, threadGroup(thread == null ? "?" : thread.getJavaName()), 1);
    List<RecordedFrame> frames = stack.getFrames();
    add(selfFrames, name(frames.get(0)), 1);
    Set<String> seen = new HashSet<>();
    boolean first = true;
    for (RecordedFrame f : frames) {
      String n = name(f);
      if (n.startsWith("io.memjcache.") && !n.startsWith("io.memjcache.bench.")) {
        if (seen.add(n)) {
          add(ourInclusive, n, 1);
        }
        if (first) {
          add(ourFirstFrame, n, 1);
          add(layers, packageOf(n), 1);
          first = false;
        }
      }
    }
    if (first) {
      add(layers, "(no memjcache frame: " + threadGroup(thread == null ? "?" : thread.getJavaName()) + ")", 1);
    }
  }

  /** Only this thread's allocations count, when set (-Djfrtop.thread=main). */
  private static final String ONLY_THREAD = System.getProperty("jfrtop.thread");

  private void allocation(RecordedEvent e) {
    if (ONLY_THREAD != null && (e.getThread("eventThread") == null
        || !ONLY_THREAD.equals(e.getThread("eventThread").getJavaName()))) {
      return;
    }
    long weight = e.getLong("weight");
    allocated += weight;
    RecordedStackTrace stack = e.getStackTrace();
    String cls = e.getClass("objectClass") == null ? "?" : e.getClass("objectClass").getName();
    add(allocByClass, cls, weight);
    if (stack == null || stack.getFrames().isEmpty()) {
      return;
    }
    add(allocByFrame, name(stack.getFrames().get(0)) + "  [" + cls + "]", weight);
    for (RecordedFrame f : stack.getFrames()) {
      String n = name(f);
      if (n.startsWith("io.memjcache.") && !n.startsWith("io.memjcache.bench.")) {
        add(allocByOurFrame, n, weight);
        return;
      }
    }
    add(allocByOurFrame, "(no memjcache frame: " + threadGroup(
        e.getThread("eventThread") == null ? "?" : e.getThread("eventThread").getJavaName()) + ")", weight);
  }

  /** Thread names without their numbers and addresses, so a pool is one row. */
  static String threadGroup(String name) {
    if (name.startsWith("Memcached IO")) {
      return "spymemcached I/O thread(s)";
    }
    if (name.contains("jmh-worker")) {
      return "benchmark threads (callers)";
    }
    if (name.startsWith("redisson-netty")) {
      return "redisson netty threads";
    }
    return name.replaceAll("[0-9]+", "N");
  }

  /** The package of a method's class; a lambda's hidden class counts as the class it is in. */
  static String packageOf(String method) {
    String type = method.substring(0, method.lastIndexOf('.'));
    int lambda = type.indexOf("$$Lambda");
    type = lambda < 0 ? type : type.substring(0, lambda);
    return type.substring(0, type.lastIndexOf('.'));
  }

  private static String name(RecordedFrame f) {
    RecordedMethod m = f.getMethod();
    return m == null ? "?" : m.getType().getName() + "." + m.getName();
  }

  private static void add(Map<String, Long> map, String key, long n) {
    map.merge(key, n, Long::sum);
  }

  private void print(Path file, int rows) {
    System.out.println("=== " + file);
    int cpus = Runtime.getRuntime().availableProcessors();
    if (cpuLoads > 0) {
      System.out.printf(Locale.ROOT, "CPU load (jdk.CPULoad, mean of %d): this JVM %.2f of %d cores,"
          + " whole machine %.2f cores (the rest: memcached / redis, other processes)%n", cpuLoads,
          jvmCpu / cpuLoads * cpus, cpus, machineCpu / cpuLoads * cpus);
    }
    System.out.printf(Locale.ROOT, "CPU samples: %d%n", samples);
    table("CPU by thread", threads, samples, rows);
    table("CPU, top frame (self)", selfFrames, samples, rows);
    table("CPU, memjcache methods (inclusive: on the stack)", ourInclusive, samples, rows);
    table("CPU, innermost memjcache frame of the stack", ourFirstFrame, samples, rows);
    table("CPU by layer: the package of the innermost memjcache frame", layers, samples, rows);
    System.out.printf(Locale.ROOT, "%nallocation samples: %,d bytes (weighted)%n", allocated);
    table("allocation by allocating frame [class]", allocByFrame, allocated, rows);
    table("allocation by innermost memjcache frame", allocByOurFrame, allocated, rows);
    table("allocation by class", allocByClass, allocated, rows);
    System.out.println();
  }

  private static void table(String title, Map<String, Long> map, long total, int rows) {
    System.out.println();
    System.out.println("-- " + title);
    map.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(rows)
        .forEach(e -> System.out.printf(Locale.ROOT, "%6.2f%%  %s%n",
            total == 0 ? 0.0 : 100.0 * e.getValue() / total, e.getKey()));
  }
}
