package io.memjcache.bulk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Counts the keys one memcached server holds, with its own metadump, bypassing the provider. */
final class ServerKeys {

  private ServerKeys() {}

  /** How many keys starting with {@code prefix} the server at {@code port} holds. */
  static long count(int port, String prefix) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("lru_crawler metadump hash\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      long count = 0;
      for (String line = in.readLine(); !"END".equals(line); line = in.readLine()) {
        if (line == null || line.startsWith("BUSY") || line.contains("ERROR")) {
          throw new IOException("metadump on port " + port + " ended with " + line);
        }
        String key = URLDecoder.decode(line.substring(4, line.indexOf(' ')), StandardCharsets.UTF_8);
        count += key.startsWith(prefix) ? 1 : 0;
      }
      return count;
    }
  }
}
