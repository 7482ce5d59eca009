package io.memjcache.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real memcached server on 127.0.0.1, started by this JVM.
 *
 * <p>The port is kept across {@link #restartEmpty()} so clients see the same node come back, the
 * way an operator's restarted server would.
 */
public final class MemcachedProcess implements AutoCloseable {

  private static final long START_DEADLINE_MS = 10_000;

  private final Path binary;
  private final int port;
  private final List<String> extraArgs;
  private final Map<String, String> environment;
  private Process process;
  private boolean suspended;

  MemcachedProcess(Path binary, int port, List<String> extraArgs, Map<String, String> environment) {
    this.binary = binary;
    this.port = port;
    this.extraArgs = List.copyOf(extraArgs);
    this.environment = Map.copyOf(environment);
  }

  /** Starts a server on a free loopback port. */
  public static MemcachedProcess start(List<String> extraArgs) {
    return start(extraArgs, Map.of());
  }

  /**
   * Starts a server on a free loopback port with extra environment variables (such as
   * {@link SaslUsers#environment()}).
   */
  public static MemcachedProcess start(List<String> extraArgs, Map<String, String> environment) {
    UnitPhaseGuard.refuseInUnitPhase();
    Path binary = MemcachedBinary.locate();
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      MemcachedProcess node = new MemcachedProcess(binary, freePort(), extraArgs, environment);
      try {
        node.launch();
        return node;
      } catch (IllegalStateException e) {
        // another process may have taken the port between probing and binding it
        last = e;
        node.close();
      }
    }
    throw last;
  }

  public int port() {
    return port;
  }

  /** Returns {@code 127.0.0.1:port}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Kills the server with SIGKILL: no goodbye to its clients, its data is gone. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitForExit();
      suspended = false;
    }
  }

  /** Freezes the server with SIGSTOP: connections stay open but nothing is answered. */
  public synchronized void hang() {
    signal("STOP");
    awaitEveryThreadStopped();
    suspended = true;
  }

  /**
   * SIGSTOP is delivered to each of memcached's threads on its own: a worker thread running at that
   * moment (more likely on a loaded machine) could still answer a request sent right after
   * {@code kill} returned. Waits until every thread of the process shows state T in /proc.
   */
  private void awaitEveryThreadStopped() {
    Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      try (Stream<Path> threads = Files.list(tasks)) {
        if (threads.allMatch(MemcachedProcess::isStopped)) {
          return;
        }
        Thread.sleep(1);
      } catch (IOException e) {
        return; // no /proc (not Linux): the signal's delivery cannot be watched
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while memcached stops", e);
      }
    }
    throw new IllegalStateException("memcached " + process.pid() + " did not stop within 5 s of SIGSTOP");
  }

  /** Returns if a thread's /proc stat says stopped (T); its state follows the name in parentheses. */
  private static boolean isStopped(Path task) {
    try {
      String stat = Files.readString(task.resolve("stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
    } catch (IOException | RuntimeException e) {
      return true; // the thread ended
    }
  }

  /** Thaws a server frozen by {@link #hang()}; it still holds the data it had. */
  public synchronized void resume() {
    signal("CONT");
    suspended = false;
  }

  /** Kills the server if it runs and starts a new empty one on the same port. */
  public synchronized void restartEmpty() {
    kill();
    long deadline = System.currentTimeMillis() + START_DEADLINE_MS;
    while (true) {
      try {
        launch();
        return;
      } catch (IllegalStateException e) {
        // the kernel may hold the port briefly after the old process died
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Waits.sleep(50);
      }
    }
  }

  /**
   * Sends one text-protocol command (with its data block, if any, already in {@code line}) on a
   * fresh connection and returns the whole reply.
   */
  public String command(String line) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1)); // bytes 0-255 pass unchanged
      out.flush();
      return readUntilTerminator(socket.getInputStream());
    }
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      if (suspended) {
        signal("CONT");
      }
      kill();
      process = null;
    }
  }

  private void launch() {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.addAll(List.of("-l", "127.0.0.1", "-p", Integer.toString(port), "-U", "0", "-t", "2"));
    if ("root".equals(System.getProperty("user.name"))) {
      cmd.addAll(List.of("-u", "root")); // memcached refuses to run as root without -u
    }
    cmd.addAll(extraArgs);
    try {
      ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + cmd, e);
    }
    ProcessReaper.register(process);
    awaitReady(cmd);
  }

  private void awaitReady(List<String> cmd) {
    long deadline = System.currentTimeMillis() + START_DEADLINE_MS;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("memcached exited with " + process.exitValue() + ": " + cmd);
      }
      try {
        if (isListening()) {
          return;
        }
      } catch (IOException notYet) {
        Waits.sleep(20);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("memcached did not answer within " + START_DEADLINE_MS + " ms: " + cmd);
  }

  /**
   * A server with SASL ({@code -S}) speaks only the binary protocol and answers nothing before
   * authentication, so for it an accepted connection is the sign of life; others answer "version".
   */
  private boolean isListening() throws IOException {
    if (extraArgs.contains("-S")) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return true;
      }
    }
    return command("version").startsWith("VERSION");
  }

  private static String readUntilTerminator(InputStream in) throws IOException {
    StringBuilder reply = new StringBuilder();
    byte[] buf = new byte[8192];
    while (true) {
      int n = in.read(buf);
      if (n < 0) {
        return reply.toString();
      }
      reply.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
      String text = reply.toString();
      if (isComplete(text)) {
        return text;
      }
    }
  }

  /** Multi-line replies (get, stats, metadump) end with END; every other reply is one line. */
  private static boolean isComplete(String text) {
    if (!text.endsWith("\r\n")) {
      return false;
    }
    boolean multiLine = text.startsWith("VALUE") || text.startsWith("STAT") || text.startsWith("key=")
        || text.startsWith("ITEM");
    return !multiLine || text.endsWith("END\r\n");
  }

  private void signal(String name) {
    if (process == null || !process.isAlive()) {
      return;
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling memcached", e);
    }
  }

  private void waitForExit() {
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port on 127.0.0.1", e);
    }
  }

  @Override
  public String toString() {
    return "memcached@" + address();
  }
}
