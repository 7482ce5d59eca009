package io.memjcache.bench.bulk;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bulk benchmark's knobs, read from the environment ({@code benchmarks/run-bulk.sh} passes its
 * own through). A value that does not parse, or is out of range, is an error naming the variable.
 */
record BulkOptions(List<Integer> sizes, List<BulkOp> ops, int runs, String clientHeap, int memcachedMb,
    int valueBytes, int smallEntries, long stepLimitSeconds, long operationTimeoutMs, Path out) {

  static final String DEFAULT_OPS = "iterate,small-iterate,small-removeAll,small-clear,removeAll,clear";

  static BulkOptions from(Map<String, String> env) {
    return new BulkOptions(
        sizes(env.getOrDefault("SIZES", "10000 100000 1000000")),
        BulkOp.parseList(env.getOrDefault("OPS", DEFAULT_OPS)),
        positive(env, "RUNS", "3"),
        env.getOrDefault("CLIENT_HEAP", "256m"),
        positive(env, "MEMCACHED_MB", "512"),
        atLeast(env, "VALUE_BYTES", "100", Integer.BYTES),
        positive(env, "SMALL_ENTRIES", "1000"),
        positive(env, "STEP_LIMIT_S", "600"),
        positive(env, "OPERATION_TIMEOUT_MS", "2000"),
        Path.of(env.getOrDefault("OUT", "benchmarks/results/bulk.txt")));
  }

  /** The client JVM's arguments for one size, in {@link BulkClient}'s order. */
  List<String> clientArgs(String servers, int size) {
    List<String> labels = new ArrayList<>();
    ops.forEach(op -> labels.add(op.label()));
    return List.of(servers, Integer.toString(size), String.join(",", labels), Integer.toString(runs),
        Integer.toString(smallEntries), Integer.toString(valueBytes), Long.toString(stepLimitSeconds),
        Long.toString(operationTimeoutMs));
  }

  /**
   * A bound on a whole client JVM: every load, operation and check is a step under the step limit
   * (at most three per run, plus the first load), and a minute for starting and stopping.
   */
  long clientLimitSeconds() {
    return (1L + 3L * ops.size() * runs) * stepLimitSeconds + 60;
  }

  private static List<Integer> sizes(String text) {
    List<Integer> sizes = new ArrayList<>();
    for (String size : text.trim().split("[\\s,]+")) {
      sizes.add(parse("SIZES", size, 1));
    }
    return List.copyOf(sizes);
  }

  private static int positive(Map<String, String> env, String name, String fallback) {
    return atLeast(env, name, fallback, 1);
  }

  private static int atLeast(Map<String, String> env, String name, String fallback, int min) {
    return parse(name, env.getOrDefault(name, fallback).trim(), min);
  }

  private static int parse(String name, String text, int min) {
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": '" + text + "' is not a whole number", e);
    }
    if (value < min) {
      throw new IllegalArgumentException(name + ": " + value + " is below the least allowed, " + min);
    }
    return value;
  }
}
