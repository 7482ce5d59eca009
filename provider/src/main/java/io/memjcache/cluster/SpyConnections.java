package io.memjcache.cluster;

import java.io.IOException;
import java.util.List;
import javax.cache.CacheException;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.auth.AuthDescriptor;
import net.spy.memcached.auth.PlainCallbackHandler;

/**
 * Opens the spymemcached client of one node: binary protocol (needed for get-and-touch and for
 * delete with CAS), {@link FailureMode#Cancel} (operations on a dead connection fail at once
 * instead of queueing until the timeout), failure detection left to the provider, and with
 * {@link SaslCredentials} SASL PLAIN, checked first so that refused credentials fail with an error
 * naming the user ({@link SaslCheck}).
 */
final class SpyConnections {

  private SpyConnections() {}

  /** The client of {@code server}, connecting in the background. */
  static MemcachedClient open(ServerAddress server, long timeoutMillis, SaslCredentials credentials) {
    ConnectionFactoryBuilder builder = new ConnectionFactoryBuilder()
        .setProtocol(ConnectionFactoryBuilder.Protocol.BINARY)
        .setFailureMode(FailureMode.Cancel)
        .setOpTimeout(timeoutMillis)
        // spymemcached drops a connection after this many timeouts in a row, blind to pauses of
        // this JVM (after a 2 s GC pause hundreds time out at once): failure detection is ours
        .setTimeoutExceptionThreshold(Integer.MAX_VALUE / 2)
        .setMaxReconnectDelay(1)
        .setDaemon(true);
    if (credentials.isSet()) {
      // PLAIN, not AuthDescriptor.typical: it prefers CRAM-MD5, which a sasldb-backed memcached lacks
      builder.setAuthDescriptor(new AuthDescriptor(new String[] {"PLAIN"},
          new PlainCallbackHandler(credentials.username(), credentials.password())))
          .setAuthWaitTime(authWaitMillis(timeoutMillis));
      SaslCheck.verify(server, credentials, (int) authWaitMillis(timeoutMillis));
    }
    try {
      return new MemcachedClient(builder.build(), List.of(server.socketAddress()));
    } catch (IOException e) {
      throw new CacheException("cannot create a client for memcached " + server, e);
    }
  }

  /** How long an operation waits for its connection's authentication before it is cancelled. */
  private static long authWaitMillis(long timeoutMillis) {
    return Math.max(1000, 2 * timeoutMillis);
  }
}
