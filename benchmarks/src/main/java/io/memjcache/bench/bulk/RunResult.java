package io.memjcache.bench.bulk;

import java.util.HashMap;
import java.util.Map;

/** One measured run, as the client JVM prints it: {@code @result name=value ...}. */
record RunResult(String op, int run, long entries, long micros, double peakMb, double liveMb,
    long suspicions, long markedDown, long keysListed, long loadMs) {

  static final String PREFIX = "@result ";

  static RunResult parse(String line) {
    Map<String, String> fields = new HashMap<>();
    for (String field : line.substring(PREFIX.length()).trim().split(" ")) {
      int equals = field.indexOf('=');
      fields.put(field.substring(0, equals), field.substring(equals + 1));
    }
    return new RunResult(fields.get("op"), Integer.parseInt(fields.get("run")),
        Long.parseLong(fields.get("entries")), Long.parseLong(fields.get("micros")),
        Double.parseDouble(fields.get("peakMb")), Double.parseDouble(fields.get("liveMb")),
        Long.parseLong(fields.get("suspicions")), Long.parseLong(fields.get("markedDown")),
        Long.parseLong(fields.get("keysListed")), Long.parseLong(fields.get("loadMs")));
  }

  double entriesPerSecond() {
    return entries * 1_000_000.0 / Math.max(1, micros);
  }
}
