package io.memjcache.bulk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Counts the keys one memcached server holds, with its own metadump, bypassing the provider. */
final class ServerKeys {

  private ServerKeys() {}

  /** Every key the server at {@code port} holds, as a stranger on the network can list them. */
  static List<String> keys(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("lru_crawler metadump hash\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      List<String> keys = new ArrayList<>();
      for (String line = in.readLine(); !"END".equals(line); line = in.readLine()) {
        if (line == null || line.startsWith("BUSY") || line.contains("ERROR")) {
          throw new IOException("metadump on port " + port + " ended with " + line);
        }
        keys.add(URLDecoder.decode(line.substring(4, line.indexOf(' ')), StandardCharsets.UTF_8));
      }
      return keys;
    }
  }
}
