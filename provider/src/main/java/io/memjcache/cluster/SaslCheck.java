package io.memjcache.cluster;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.cache.CacheException;

/**
 * Tries SASL PLAIN credentials on a connection of its own before spymemcached's client takes over:
 * spymemcached authenticates in the background and answers a refused password by reconnecting and
 * trying again, forever, so a wrong password would otherwise show only as a node that never comes
 * up. One binary-protocol SASL_AUTH request (protocol_binary.txt, opcode 0x21, key "PLAIN", value
 * {@code \0user\0password}, RFC 4616); status 0 is success, anything else a refusal.
 */
final class SaslCheck {

  private static final byte REQUEST = (byte) 0x80;
  private static final byte SASL_AUTH = 0x21;
  private static final int HEADER = 24;

  private SaslCheck() {}

  /**
   * Throws a {@link CacheException} naming the user if the server refuses the credentials; a server
   * that cannot be reached is not judged (its operations fail until it returns).
   */
  static void verify(ServerAddress server, SaslCredentials credentials, int timeoutMillis) {
    int status;
    try (Socket socket = new Socket()) {
      socket.connect(server.socketAddress(), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(request(credentials));
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] header = new byte[HEADER];
      in.readFully(header);
      ByteBuffer reply = ByteBuffer.wrap(header);
      status = reply.getShort(6) & 0xFFFF;
      int bodyLength = reply.getInt(8);
      if (header[0] != (byte) 0x81 || bodyLength < 0 || bodyLength > 4096) {
        throw new CacheException("memcached " + server + " answered SASL authentication with"
            + " something that is not a binary-protocol response");
      }
      in.readFully(new byte[bodyLength]);
    } catch (IOException unreachable) {
      return;
    }
    if (status != 0) {
      throw new CacheException("memcached " + server + " refused SASL user '" + credentials.username()
          + "' (status 0x" + Integer.toHexString(status) + "): check memjcache.username and the"
          + " password, and that the server runs with -S and offers PLAIN");
    }
  }

  private static byte[] request(SaslCredentials credentials) {
    byte[] key = "PLAIN".getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream value = new ByteArrayOutputStream();
    value.write(0); // no authorization identity: act as the user authenticated
    value.writeBytes(credentials.username().getBytes(StandardCharsets.UTF_8));
    value.write(0);
    value.writeBytes(credentials.password().getBytes(StandardCharsets.UTF_8));
    ByteBuffer request = ByteBuffer.allocate(HEADER + key.length + value.size());
    request.put(REQUEST).put(SASL_AUTH).putShort((short) key.length).put((byte) 0).put((byte) 0)
        .putShort((short) 0).putInt(key.length + value.size()).putInt(0).putLong(0)
        .put(key).put(value.toByteArray());
    return request.array();
  }
}
