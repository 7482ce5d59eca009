package io.memjcache.chaos;

/**
 * One operation a {@link LoadClient} made, as one line of its log: kind, key, start and end (in
 * microseconds of wall-clock time since the run's epoch, shared by every client JVM on the machine),
 * the value and the outcome. {@code I c3 120455 121002 57 ok} is an increment of {@code c3} that
 * returned 57; {@code W r0.1.7 ... 12 x:CacheException} a write of 12 that threw.
 *
 * <p>The times bracket the real operation: a JVM paused between taking a time and sending (or
 * after receiving) only widens the bracket, which makes the judges more lenient, never stricter.
 */
record LoggedOp(char kind, String key, long startMicros, long endMicros, long value, String error) {

  /** {@code invoke} increment of a shared counter; value = the result it returned. */
  static final char INCREMENT = 'I';
  /** {@code put} of a register by its only writer; value = the sequence number written. */
  static final char WRITE = 'W';
  /** {@code remove} of a register by its only writer; value = {@link #ABSENT}. */
  static final char DELETE = 'D';
  /** {@code get} of any register; value = what was read, {@link #ABSENT} for a miss. */
  static final char READ = 'R';

  /** The value of an absent key, and of an increment that threw. */
  static final long ABSENT = -1;

  private static final String OK = "ok";

  boolean acknowledged() {
    return error == null;
  }

  long latencyMicros() {
    return endMicros - startMicros;
  }

  String line() {
    return kind + " " + key + " " + startMicros + " " + endMicros + " " + value + " "
        + (error == null ? OK : "x:" + error);
  }

  /** Parses {@link #line()}; a malformed line is an error naming it (a log is never half-read). */
  static LoggedOp parse(String line) {
    String[] f = line.split(" ");
    if (f.length != 6 || f[0].length() != 1 || !(f[5].equals(OK) || f[5].startsWith("x:"))) {
      throw new IllegalArgumentException("malformed operation log line: '" + line + "'");
    }
    return new LoggedOp(f[0].charAt(0), f[1], Long.parseLong(f[2]), Long.parseLong(f[3]),
        Long.parseLong(f[4]), f[5].equals(OK) ? null : f[5].substring(2));
  }

  /** The error of a failed operation as a single token: its class and its cause's. */
  static String describe(Throwable e) {
    Throwable cause = e.getCause();
    return e.getClass().getSimpleName() + (cause == null ? "" : "/" + cause.getClass().getSimpleName());
  }
}
