package io.memjcache.chaos;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads items straight from one memcached server with meta gets ({@code mg <key> v f}), bypassing
 * the provider, so a test can see what each node physically holds. Pipelined in batches.
 */
final class RawItems {

  /** One item as the server holds it. */
  record Item(int flags, byte[] bytes) {}

  private static final int BATCH = 100;

  private RawItems() {}

  /** Returns the items the server at {@code port} holds for {@code keys} (absent keys are left out). */
  static Map<String, Item> get(int port, List<String> keys) throws IOException {
    Map<String, Item> found = new HashMap<>();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
      for (int from = 0; from < keys.size(); from += BATCH) {
        List<String> batch = keys.subList(from, Math.min(keys.size(), from + BATCH));
        StringBuilder request = new StringBuilder();
        for (String key : batch) {
          request.append("mg ").append(key).append(" v f\r\n");
        }
        out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        for (String key : batch) {
          String header = readLine(in);
          if (header.startsWith("EN")) {
            continue;
          }
          if (!header.startsWith("VA ")) {
            throw new IOException("unexpected meta get reply for " + key + ": " + header);
          }
          String[] parts = header.split(" ");
          int size = Integer.parseInt(parts[1]);
          int flags = 0;
          for (int i = 2; i < parts.length; i++) {
            if (parts[i].startsWith("f")) {
              flags = Integer.parseInt(parts[i].substring(1));
            }
          }
          byte[] data = in.readNBytes(size);
          if (data.length != size || !readLine(in).isEmpty()) {
            throw new IOException("truncated meta get reply for " + key);
          }
          found.put(key, new Item(flags, data));
        }
      }
    }
    return found;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed mid-reply");
      }
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
      }
      line.write(b);
      previous = b;
    }
  }
}
