package io.memjcache.bench.bulk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs {@link BulkClient} in a JVM of its own with its heap capped and {@code
 * -XX:+ExitOnOutOfMemoryError}, so an operation that held every entry fails the run visibly instead
 * of limping on. The JVM is killed when its time limit passes or this JVM shuts down (Ctrl-C); no
 * process outlives {@link #run}.
 */
final class ClientJvm {

  private ClientJvm() {}

  /** Runs the client to its end; hands each result to {@code onResult}; throws unless it finished. */
  static List<RunResult> run(String maxHeap, List<String> args, long limitSeconds, Consumer<RunResult> onResult)
      throws IOException, InterruptedException {
    Path stderr = Files.createTempFile("bulk-client", ".stderr");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-Djava.net.preferIPv4Stack=true",
        "-cp", System.getProperty("java.class.path"), BulkClient.class.getName()));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    // Ctrl-C stops the servers (the testkit's hook); the client must not outlive them either
    Thread reaper = new Thread(process::destroyForcibly, "client-jvm-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
    try {
      Thread killer = killAfter(process, limitSeconds);
      List<RunResult> results = new ArrayList<>();
      String last = "";
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.startsWith(RunResult.PREFIX)) {
            RunResult result = RunResult.parse(line);
            results.add(result);
            onResult.accept(result);
          }
          last = line.startsWith("@") ? line : last;
        }
      }
      boolean exited = process.waitFor(30, TimeUnit.SECONDS);
      killer.interrupt();
      if (!exited || process.exitValue() != 0 || !"@done".equals(last)) {
        throw new IllegalStateException("the client JVM failed (" + (exited ? exit(process.exitValue()) : "no exit")
            + ", last report '" + last + "', limit " + limitSeconds + " s): " + tail(stderr));
      }
      return results;
    } finally {
      removeHook(reaper);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(stderr);
    }
  }

  private static void removeHook(Thread reaper) {
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs, as it should
    }
  }

  private static String exit(int status) {
    return switch (status) {
      case 3 -> "exit 3: out of heap (-XX:+ExitOnOutOfMemoryError)";
      case StepLimit.EXIT_TIMEOUT -> "exit " + status + ": a step passed its limit";
      default -> "exit " + status;
    };
  }

  private static Thread killAfter(Process process, long limitSeconds) {
    Thread killer = new Thread(() -> {
      try {
        if (!process.waitFor(limitSeconds, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the client ended: nothing to kill
      }
    }, "client-jvm-limit");
    killer.setDaemon(true);
    killer.start();
    return killer;
  }

  private static String tail(Path stderr) throws IOException {
    List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8);
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 12), lines.size()));
  }
}
