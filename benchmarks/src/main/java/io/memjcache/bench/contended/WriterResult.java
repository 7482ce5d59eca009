package io.memjcache.bench.contended;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one writer thread did, as its client JVM prints it: {@code @writer name=value ...}.
 *
 * @param measured increments acknowledged during the measured period
 * @param acked increments acknowledged in all (warm-up included): each added one to the counter
 * @param errors invokes that threw: each may or may not have added one
 * @param regressions results not above the thread's previous result (the counter only grows, so any
 *     is a lost or reordered increment)
 */
record WriterResult(int jvm, int thread, long measured, long acked, long errors, long regressions) {

  static final String PREFIX = "@writer ";

  String line() {
    return String.format(Locale.ROOT, "%sjvm=%d thread=%d measured=%d acked=%d errors=%d regressions=%d", PREFIX,
        jvm, thread, measured, acked, errors, regressions);
  }

  static WriterResult parse(String line) {
    Map<String, String> fields = new HashMap<>();
    for (String field : line.substring(PREFIX.length()).trim().split(" ")) {
      int equals = field.indexOf('=');
      fields.put(field.substring(0, equals), field.substring(equals + 1));
    }
    return new WriterResult(Integer.parseInt(fields.get("jvm")), Integer.parseInt(fields.get("thread")),
        Long.parseLong(fields.get("measured")), Long.parseLong(fields.get("acked")),
        Long.parseLong(fields.get("errors")), Long.parseLong(fields.get("regressions")));
  }
}
