package io.memjcache.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LoadClient} in a JVM of its own, on this test's class path, that the test can pause with
 * SIGSTOP and resume with SIGCONT (what a long GC pause or a stalled machine does to a client), drive
 * through the client's line protocol, and whose operation log it reads once the process has exited.
 *
 * <p>{@link #close()} always leaves no process behind: it continues a stopped JVM and kills it.
 */
final class ClientProcess implements AutoCloseable {

  private static final long READY_LIMIT_MS = 60_000;

  private final String name;
  private final Process process;
  private final Path operations;
  private final Path stderr;
  private final Writer commands;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private Thread reader;
  private boolean ready;

  private ClientProcess(String name, Process process, Path operations, Path stderr) {
    this.name = name;
    this.process = process;
    this.operations = operations;
    this.stderr = stderr;
    this.commands = process.outputWriter(StandardCharsets.US_ASCII);
  }

  /** Starts client {@code index} of the plan, logging to {@code dir}; returns once its cache is open. */
  static ClientProcess start(String name, int index, LoadPlan plan, Path dir) throws IOException {
    Path operations = dir.resolve(name + ".ops");
    Path stderr = dir.resolve(name + ".stderr");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.net.preferIPv4Stack=true", "-Xmx256m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"),
        LoadClient.class.getName(), Integer.toString(index), operations.toString()));
    command.addAll(plan.toArgs());
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    ClientProcess client = new ClientProcess(name, process, operations, stderr);
    client.readReplies();
    return client;
  }

  String name() {
    return name;
  }

  /** Returns once the client's cache is open (at once if it was seen open before). */
  void awaitReady() {
    if (!ready) {
      reply("@ready", READY_LIMIT_MS);
      ready = true;
    }
  }

  void go() {
    send("go");
  }

  void stop() {
    send("stop");
  }

  /** Asks the client whether its cluster view reports full replication. */
  boolean fullyReplicated(long limitMs) {
    send("status");
    return reply("@status ", limitMs).startsWith("true");
  }

  /** SIGSTOP: every thread of the JVM freezes, its connections stay open, as in a long GC pause. */
  void pause() {
    signal("STOP");
  }

  void resume() {
    signal("CONT");
  }

  /** Waits for the client to finish on its own; returns its final cluster view. */
  String awaitDone(long limitMs) throws InterruptedException {
    String view = reply("@done ", limitMs);
    if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError(name + " did not exit cleanly after its load; " + stderrTail());
    }
    return view;
  }

  /** The operations it logged, in log order. */
  List<LoggedOp> operations() throws IOException {
    try (var lines = Files.lines(operations, StandardCharsets.US_ASCII)) {
      return lines.map(LoggedOp::parse).toList();
    }
  }

  /** How many lines the client wrote to stderr (its logging). */
  long stderrLines() throws IOException {
    try (var lines = Files.lines(stderr, StandardCharsets.UTF_8)) {
      return lines.count();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        resume(); // a stopped JVM would not run its exit path; SIGKILL ends it either way
      } catch (RuntimeException ignored) {
        // it may have exited in between
      }
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void send(String command) {
    try {
      commands.write(command + "\n");
      commands.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(name + " no longer takes commands (" + command + ")", e);
    }
  }

  /** Waits for the next reply starting with {@code prefix}; returns the rest of its line. */
  private String reply(String prefix, long limitMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMs);
    try {
      while (true) {
        String line = replies.poll(100, TimeUnit.MILLISECONDS);
        if (line == null && !reader.isAlive() && replies.isEmpty()) {
          throw new AssertionError(name + " ended without '" + prefix.trim() + "'; " + stderrTail());
        }
        if (line == null) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError(name + ": no '" + prefix.trim() + "' within " + limitMs + " ms; "
                + stderrTail());
          }
          continue;
        }
        if (line.startsWith("@error")) {
          throw new AssertionError(name + ": " + line);
        }
        if (line.startsWith(prefix)) {
          return line.substring(prefix.length());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + name, e);
    }
  }

  /** Protocol replies go to the queue; anything else a library printed to stdout is dropped. */
  private void readReplies() {
    reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
        for (String line; (line = in.readLine()) != null; ) {
          if (line.startsWith("@")) {
            replies.add(line);
          }
        }
      } catch (IOException ended) {
        // the process is gone; waiting callers time out with its stderr
      }
    }, "client-" + name + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  private String stderrTail() {
    try {
      List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream()
          .filter(line -> !line.startsWith("\tat ")).toList(); // stack frames say little here
      return "alive=" + process.isAlive() + ", stderr tail: "
          + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "stderr unreadable: " + e;
    }
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + name + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("kill -" + signal + " " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted signalling " + name, e);
    }
  }
}
