package io.memjcache.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Where each key lives, as pure logic over the ketama rings: a key's replicas are the first
 * {@code copies} usable nodes clockwise from its position on the ring, or, with a backup pool, the
 * first usable node of the main ring followed by the first usable ones of the backup ring. Which
 * nodes are usable is the caller's (see {@link Membership}); with every node usable, these are the
 * key's home replicas.
 */
final class Placement {

  private final KetamaRing ring;
  private final KetamaRing backupRing;
  private final int copies;

  Placement(List<ServerAddress> servers, List<ServerAddress> backupServers, int copies) {
    this.ring = new KetamaRing(servers);
    this.backupRing = backupServers.isEmpty() ? null : new KetamaRing(backupServers);
    this.copies = copies;
  }

  KetamaRing ring() {
    return ring;
  }

  /** The server that holds a memcached key when every node is up. */
  ServerAddress primary(String key) {
    return ring.primary(key.getBytes(StandardCharsets.UTF_8));
  }

  /** The first usable replica of a key, or null if none is usable. */
  ServerAddress first(String key, Predicate<ServerAddress> usable) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    ServerAddress first = ring.firstUsable(bytes, usable);
    return first == null && backupRing != null ? backupRing.firstUsable(bytes, usable) : first;
  }

  /** The usable replicas of a key, the one that arbitrates CAS first. */
  List<ServerAddress> replicas(String key, Predicate<ServerAddress> usable) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    if (backupRing == null) {
      return ring.replicas(bytes, copies, usable);
    }
    List<ServerAddress> servers = new ArrayList<>(ring.replicas(bytes, 1, usable));
    servers.addAll(backupRing.replicas(bytes, copies - 1, usable));
    return servers;
  }

  /** Returns if a server is one of a key's home replicas, those it has when every node is up. */
  boolean isHome(String key, ServerAddress server) {
    return replicas(key, s -> true).contains(server);
  }
}
