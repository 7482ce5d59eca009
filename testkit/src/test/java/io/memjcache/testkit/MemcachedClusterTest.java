package io.memjcache.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

@RealMemcached
class MemcachedClusterTest {

  @Test
  void nodesStartOnDistinctLoopbackPortsAndStopOnClose() throws Exception {
    MemcachedProcess first;
    try (MemcachedCluster cluster = MemcachedCluster.start(3)) {
      assertEquals(3, cluster.nodes().stream().map(MemcachedProcess::port).distinct().count());
      assertTrue(cluster.servers().startsWith("127.0.0.1:"));
      for (MemcachedProcess node : cluster.nodes()) {
        assertTrue(node.command("version").startsWith("VERSION"));
      }
      first = cluster.node(0);
    }
    assertFalse(first.isAlive());
  }

  @Test
  void clientsRegisteredWithTheClusterCloseWhileItsServersStillRun() throws Exception {
    boolean[] serverUpWhenClosed = new boolean[1];
    MemcachedProcess node;
    try (MemcachedCluster cluster = MemcachedCluster.start(1)) {
      node = cluster.node(0);
      cluster.closeFirst(() -> serverUpWhenClosed[0] = node.command("version").startsWith("VERSION"));
    }
    assertTrue(serverUpWhenClosed[0], "the client closed first");
    assertFalse(node.isAlive());
  }

  @Test
  void killHangResumeAndRestartEmptyBehaveLikeTheirSignals() throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(1)) {
      MemcachedProcess node = cluster.node(0);
      assertTrue(node.command("set k 0 0 1\r\nx").startsWith("STORED"));

      node.hang();
      assertFalse(answersWithin(node, 300), "a stopped server accepts nothing it answers");
      node.resume();
      assertTrue(node.command("get k").contains("VALUE k"), "resumed with its data");

      int port = node.port();
      node.restartEmpty();
      assertEquals(port, node.port());
      assertEquals("END\r\n", node.command("get k"), "restarted empty");

      node.kill();
      assertFalse(node.isAlive());
    }
  }

  @Test
  void aMissingBinaryIsAnErrorThatSaysHowToInstallIt() throws Exception {
    Path notExecutable = Files.createTempFile("memcached", ".txt");
    String old = System.getProperty("memjcache.memcached");
    System.setProperty("memjcache.memcached", notExecutable.toString());
    try {
      IllegalStateException explicit = assertThrows(IllegalStateException.class, MemcachedBinary::locate);
      assertTrue(explicit.getMessage().contains(notExecutable.toString()), explicit.getMessage());
    } finally {
      restore(old);
      Files.delete(notExecutable);
    }
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> MemcachedBinary.locateIn(java.util.List.of(Path.of("/nonexistent/memcached"))));
    assertTrue(e.getMessage().contains("apt-get install -y memcached"), e.getMessage());
    assertTrue(e.getMessage().contains("/nonexistent/memcached"), e.getMessage());
  }

  private static void restore(String old) {
    if (old == null) {
      System.clearProperty("memjcache.memcached");
    } else {
      System.setProperty("memjcache.memcached", old);
    }
  }

  private static boolean answersWithin(MemcachedProcess node, int millis) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", node.port()), millis);
      socket.setSoTimeout(millis);
      socket.getOutputStream().write("version\r\n".getBytes(StandardCharsets.US_ASCII));
      return socket.getInputStream().read() >= 0;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }
}
