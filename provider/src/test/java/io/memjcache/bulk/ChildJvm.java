package io.memjcache.bulk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A class's {@code main} run in a JVM of its own on this test's class path, with its heap capped;
 * its {@code @name value} lines on stdout are its report. {@link #close()} leaves no process behind.
 */
final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final Path stderr;

  private ChildJvm(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
  }

  static ChildJvm start(Class<?> main, String maxHeap, String... args) throws IOException {
    Path stderr = Files.createTempFile("child-jvm", ".stderr");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.net.preferIPv4Stack=true", "-Xmx" + maxHeap, "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    return new ChildJvm(new ProcessBuilder(command).redirectError(stderr.toFile()).start(), stderr);
  }

  /** Waits for the JVM to exit normally within {@code limitMs}; returns its report. */
  Map<String, String> report(long limitMs) throws IOException, InterruptedException {
    Map<String, String> report = new HashMap<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      // read on this thread: the child exits (closing stdout) or is killed by close() on timeout
      Thread killer = new Thread(() -> {
        try {
          if (!process.waitFor(limitMs, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
          }
        } catch (InterruptedException e) {
          process.destroyForcibly();
        }
      });
      killer.setDaemon(true);
      killer.start();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        int space = line.indexOf(' ');
        if (line.startsWith("@")) {
          report.put(space < 0 ? line.substring(1) : line.substring(1, space),
              space < 0 ? "" : line.substring(space + 1));
        }
      }
    }
    process.waitFor(10, TimeUnit.SECONDS);
    if (process.isAlive() || process.exitValue() != 0 || !report.containsKey("done")) {
      throw new AssertionError("the client JVM failed (exit " + (process.isAlive() ? "none" : process.exitValue())
          + ", report " + report + "): " + stderrTail());
    }
    return report;
  }

  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(stderr);
  }

  private String stderrTail() throws IOException {
    List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8);
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
  }
}
