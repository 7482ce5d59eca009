package io.memjcache.bench.bulk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One memcached server's statistics: the general-purpose {@code stats} and {@code stats slabs}
 * (protocol.txt, "Statistics"), whose {@code total_malloced} is the memory taken for items so far.
 */
public final class ServerStats {

  private ServerStats() {}

  /** {@code stats} and {@code stats slabs} of the server on 127.0.0.1:{@code port}, by name. */
  public static Map<String, String> of(int port) throws IOException {
    Map<String, String> stats = query(port, "stats");
    stats.putAll(query(port, "stats slabs"));
    return stats;
  }

  /** The {@code STAT name value} lines one command answers, by name. */
  private static Map<String, String> query(int port, String command) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      Map<String, String> stats = new HashMap<>();
      for (String line = in.readLine(); !"END".equals(line); line = in.readLine()) {
        if (line == null || !line.startsWith("STAT ")) {
          throw new IOException(command + " on port " + port + " answered " + line);
        }
        String[] parts = line.split(" ", 3);
        stats.put(parts[1], parts.length > 2 ? parts[2] : "");
      }
      return stats;
    }
  }
}
