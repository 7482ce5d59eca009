package io.memjcache.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The failure modes the chaos and failover tests rely on, each checked against the real process: a
 * hung node accepts connections but answers nothing within 500 ms, then answers the very request
 * it held once resumed; a killed node refuses connections; a restarted node is a new, empty
 * process on the same port; close stops a node in any state; extra options reach the server.
 */
@Timeout(60)
@RealMemcached
class MemcachedProcessControlTest {

  @Test
  void aHungNodeHoldsARequestUnansweredAndAnswersItWhenResumed() throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(2)) {
      MemcachedProcess node = cluster.node(0);
      assertTrue(node.command("set k 0 0 5\r\nhello").startsWith("STORED"));
      node.hang();
      assertTrue(node.isAlive(), "a hung node is stopped, not dead");
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", node.port()), 500); // the kernel still accepts
        socket.setSoTimeout(500);
        socket.getOutputStream().write("get k\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        long start = System.nanoTime();
        assertThrows(SocketTimeoutException.class, in::read, "no answer within 500 ms");
        assertTrue(System.nanoTime() - start >= 450_000_000L, "the read really waited");

        assertEquals("VERSION", cluster.node(1).command("version").substring(0, 7),
            "the other node is not affected");

        node.resume();
        socket.setSoTimeout(5000);
        assertTrue(readReply(in).startsWith("VALUE k 0 5\r\nhello\r\nEND"), "the held request is answered");
      }
      assertTrue(node.command("get k").contains("hello"), "resumed with its data, on fresh connections too");
    }
  }

  @Test
  void aKilledNodeRefusesConnectionsAndTheOthersCarryOn() throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(2)) {
      MemcachedProcess victim = cluster.node(0);
      long pid = victim.pid();
      victim.kill();
      assertFalse(victim.isAlive());
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the process is gone");
      assertThrows(ConnectException.class, () -> victim.command("version"));
      assertTrue(cluster.node(1).command("version").startsWith("VERSION"));
      victim.kill(); // killing twice is harmless
    }
  }

  @Test
  void restartEmptyGivesANewEmptyProcessOnTheSamePortFromAnyState() throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(1)) {
      MemcachedProcess node = cluster.node(0);
      String address = node.address();
      for (String state : List.of("running", "hung", "killed")) {
        assertTrue(node.command("set k 0 0 1\r\nx").startsWith("STORED"), state);
        long oldPid = node.pid();
        if (state.equals("hung")) {
          node.hang();
        } else if (state.equals("killed")) {
          node.kill();
        }
        node.restartEmpty();
        assertTrue(node.isAlive(), state);
        assertNotEquals(oldPid, node.pid(), state + ": a new process");
        assertEquals(address, node.address(), state + ": same port");
        assertSame(node, cluster.nodeAt(address));
        assertEquals("END\r\n", node.command("get k"), state + ": empty");
        assertTrue(node.command("stats").contains("STAT curr_items 0\r\n"), state);
      }
    }
  }

  @Test
  void closeStopsANodeEvenWhileItIsHung() throws Exception {
    MemcachedCluster cluster = MemcachedCluster.start(2);
    MemcachedProcess hung = cluster.node(0);
    MemcachedProcess running = cluster.node(1);
    long hungPid = hung.pid();
    hung.hang();
    cluster.close();
    assertFalse(hung.isAlive());
    assertFalse(running.isAlive());
    assertFalse(ProcessHandle.of(hungPid).map(ProcessHandle::isAlive).orElse(false));
    assertThrows(ConnectException.class, () -> hung.command("version"));
    assertThrows(ConnectException.class, () -> running.command("version"));
    cluster.close(); // closing twice is harmless
  }

  @Test
  void extraOptionsReachTheServerAndDefaultsAreApplied() throws Exception {
    try (MemcachedCluster custom = MemcachedCluster.start(1, List.of("-I", "2m", "-m", "32"));
        MemcachedCluster defaults = MemcachedCluster.start(1)) {
      String settings = custom.node(0).command("stats settings");
      assertTrue(settings.contains("STAT item_size_max 2097152\r\n"), settings);
      assertTrue(settings.contains("STAT maxbytes 33554432\r\n"), settings);
      String standard = defaults.node(0).command("stats settings");
      assertTrue(standard.contains("STAT maxbytes 67108864\r\n"), "-m 64: " + standard);
      assertTrue(standard.contains("STAT lru_crawler_sleep 0\r\n"), "lru_crawler_sleep=0: " + standard);
      assertTrue(standard.contains("STAT interface 127.0.0.1") || standard.contains("STAT tcpport "
          + defaults.node(0).port()), "listens where it says");
    }
  }

  @Test
  void commandPassesEveryByteOfADataBlockThrough() throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(1)) {
      MemcachedProcess node = cluster.node(0);
      StringBuilder all = new StringBuilder();
      for (int b = 0; b < 256; b++) {
        all.append((char) b);
      }
      assertTrue(node.command("set bytes 7 0 256\r\n" + all).startsWith("STORED"));
      assertTrue(node.command("get bytes").startsWith("VALUE bytes 7 256\r\n"));
      assertEquals("NOT_FOUND\r\n", node.command("delete nothing"), "one-line replies complete");
    }
  }

  @Test
  void clusterListsItsServersInOrderAndRejectsNonsense() {
    try (MemcachedCluster cluster = MemcachedCluster.start(3)) {
      assertEquals(cluster.node(0).address() + "," + cluster.node(1).address() + "," + cluster.node(2).address(),
          cluster.servers());
      assertEquals(3, cluster.nodes().stream().map(MemcachedProcess::port).distinct().count());
      assertSame(cluster.node(2), cluster.nodeAt(cluster.node(2).address()));
      assertThrows(IllegalArgumentException.class, () -> cluster.nodeAt("127.0.0.1:1"));
      assertThrows(UnsupportedOperationException.class, () -> cluster.nodes().clear());
    }
    assertThrows(IllegalArgumentException.class, () -> MemcachedCluster.start(0));
  }

  /** Reads one complete text-protocol reply (ending in END) from a socket. */
  private static String readReply(InputStream in) throws IOException {
    StringBuilder reply = new StringBuilder();
    byte[] buf = new byte[1024];
    while (!reply.toString().endsWith("END\r\n")) {
      int n = in.read(buf);
      if (n < 0) {
        break;
      }
      reply.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
    }
    return reply.toString();
  }
}
