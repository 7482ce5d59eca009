package io.memjcache.cluster;

import io.memjcache.codec.EnvelopeCodec;
import io.memjcache.config.ClusterSettings;
import io.memjcache.config.ServerAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The connections to every server of a {@link ClusterSettings} and the ring that places keys. */
public final class Cluster implements AutoCloseable {

  static {
    // spymemcached logs to stderr at INFO by default; route it to java.util.logging instead
    if (System.getProperty("net.spy.log.LoggerImpl") == null) {
      System.setProperty("net.spy.log.LoggerImpl", "net.spy.memcached.compat.log.SunLogger");
    }
  }

  private final ClusterSettings settings;
  private final KetamaRing ring;
  private final Map<ServerAddress, NodeClient> nodes = new LinkedHashMap<>();

  public Cluster(ClusterSettings settings) {
    this.settings = settings;
    this.ring = new KetamaRing(settings.servers());
    try {
      for (ServerAddress server : settings.servers()) {
        nodes.put(server, new NodeClient(server, settings.operationTimeoutMillis(), EnvelopeCodec.FLAGS));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  public ClusterSettings settings() {
    return settings;
  }

  public KetamaRing ring() {
    return ring;
  }

  /** Returns the server that holds a memcached key. */
  public ServerAddress primaryOf(String key) {
    return ring.primary(key.getBytes(StandardCharsets.UTF_8));
  }

  NodeClient node(ServerAddress server) {
    return nodes.get(server);
  }

  NodeClient primaryNode(String key) {
    return nodes.get(primaryOf(key));
  }

  Iterable<NodeClient> nodes() {
    return nodes.values();
  }

  @Override
  public void close() {
    nodes.values().forEach(NodeClient::close);
  }

  @Override
  public String toString() {
    return "Cluster" + settings.servers();
  }
}
