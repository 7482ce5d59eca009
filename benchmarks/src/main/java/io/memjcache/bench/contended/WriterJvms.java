package io.memjcache.bench.contended;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@link ContendedClient} JVMs of one case: starts them all, waits until each has opened
 * the cache, tells them all to go at once, and collects their writers' results. Every JVM is killed
 * when the case's time limit passes or this JVM shuts down (Ctrl-C): no process outlives {@link #run}.
 */
final class WriterJvms {

  private WriterJvms() {}

  /** Runs {@code jvms} clients of {@code threads} writers each; throws unless every one finished. */
  static List<WriterResult> run(int jvms, int threads, List<String> clientArgs, long limitSeconds)
      throws IOException, InterruptedException {
    List<Process> processes = new CopyOnWriteArrayList<>(); // read by the killer and the reaper
    List<Path> stderrs = new ArrayList<>();
    Thread reaper = new Thread(() -> processes.forEach(Process::destroyForcibly), "writer-jvm-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
    Thread killer = new Thread(() -> {
      try {
        Thread.sleep(TimeUnit.SECONDS.toMillis(limitSeconds));
        processes.forEach(Process::destroyForcibly);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the case ended in time: nothing to kill
      }
    }, "writer-jvm-limit");
    killer.setDaemon(true);
    killer.start();
    try {
      for (int jvm = 0; jvm < jvms; jvm++) {
        Path stderr = Files.createTempFile("contended-client", ".stderr");
        stderrs.add(stderr);
        processes.add(new ProcessBuilder(command(jvm, threads, clientArgs)).redirectError(stderr.toFile()).start());
      }
      List<BufferedReader> outs = new ArrayList<>();
      for (Process process : processes) {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        outs.add(out);
        expect(out, "@ready", processes, stderrs, limitSeconds);
      }
      for (Process process : processes) {
        Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        in.write("go\n");
        in.flush();
      }
      List<WriterResult> results = new ArrayList<>();
      for (BufferedReader out : outs) {
        String line = out.readLine();
        for (; line != null && line.startsWith(WriterResult.PREFIX); line = out.readLine()) {
          results.add(WriterResult.parse(line));
        }
        if (!"@done".equals(line)) {
          throw failure("a client ended with '" + line + "'", processes, stderrs, limitSeconds);
        }
      }
      for (Process process : processes) {
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
          throw failure("a client did not exit cleanly", processes, stderrs, limitSeconds);
        }
      }
      for (Path stderr : stderrs) {
        // the first error of each writer that had any (the rest is start-up noise such as SLF4J's)
        Files.readAllLines(stderr, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith(ContendedClient.ERROR))
            .forEach(l -> System.out.println("  " + l));
      }
      return results;
    } finally {
      killer.interrupt();
      removeHook(reaper);
      for (Process process : processes) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      for (Path stderr : stderrs) {
        Files.deleteIfExists(stderr);
      }
    }
  }

  private static List<String> command(int jvm, int threads, List<String> clientArgs) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms256m", "-Xmx256m", "-Djava.net.preferIPv4Stack=true",
        "-cp", System.getProperty("java.class.path"), ContendedClient.class.getName()));
    command.add(clientArgs.get(0));
    command.add(Integer.toString(jvm));
    command.add(Integer.toString(threads));
    command.addAll(clientArgs.subList(1, clientArgs.size()));
    return command;
  }

  private static void expect(BufferedReader out, String expected, List<Process> processes, List<Path> stderrs,
      long limitSeconds) throws IOException {
    String line = out.readLine();
    if (!expected.equals(line)) {
      throw failure("expected " + expected + ", a client said '" + line + "'", processes, stderrs, limitSeconds);
    }
  }

  private static IllegalStateException failure(String what, List<Process> processes, List<Path> stderrs,
      long limitSeconds) throws IOException {
    StringBuilder message = new StringBuilder(what).append(" (limit ").append(limitSeconds).append(" s)");
    for (int i = 0; i < processes.size(); i++) {
      Process process = processes.get(i);
      message.append("; client ").append(i).append(process.isAlive() ? " running" : " exit " + process.exitValue());
      List<String> lines = Files.readAllLines(stderrs.get(i), StandardCharsets.UTF_8);
      message.append(": ").append(String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size())));
    }
    return new IllegalStateException(message.toString());
  }

  private static void removeHook(Thread reaper) {
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs, as it should
    }
  }
}
