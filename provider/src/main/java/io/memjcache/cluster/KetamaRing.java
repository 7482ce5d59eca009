package io.memjcache.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Ketama consistent hashing, point for point as libmemcached's weighted ketama builds it, so that
 * a key lands on the same server as with libmemcached, PHP's memcached extension or spymemcached's
 * {@code LIBMEMCACHED} key format given the same server list.
 *
 * <ul>
 *   <li>Each server gets {@code floor(weight / totalWeight * 40 * servers) * 4} points (160 when the
 *       weights are equal), four per MD5 of {@code "host:port-i"} ({@code "host-i"} on port 11211).
 *   <li>A key's position is the first four bytes of its MD5, little-endian; its node is the first
 *       point at or after it, wrapping at 2^32.
 *   <li>{@link #replicas} walks on clockwise to the next distinct servers, so the backup of a key is
 *       its primary's neighbour and removing a node moves only the keys of its arcs.
 * </ul>
 */
public final class KetamaRing {

  private static final int POINTS_PER_HASH = 4;
  private static final int DEFAULT_PORT = 11211;

  /** Every key is hashed on every operation: {@code getInstance} per call was ~10 % of a get. */
  private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has MD5", e);
    }
  });

  private final List<ServerAddress> servers;
  private final long[] points; // unsigned 32-bit positions, sorted
  private final int[] owners; // index into servers of each point

  public KetamaRing(List<ServerAddress> servers) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("a ring needs at least one server");
    }
    this.servers = List.copyOf(servers);
    long totalWeight = servers.stream().mapToLong(ServerAddress::weight).sum();
    List<long[]> ring = new ArrayList<>();
    for (int s = 0; s < servers.size(); s++) {
      ServerAddress server = servers.get(s);
      float share = (float) server.weight() / (float) totalWeight;
      int pointsForServer =
          (int) Math.floor(share * 160f / 4f * servers.size() + 0.0000000001) * POINTS_PER_HASH;
      for (int i = 0; i < pointsForServer / POINTS_PER_HASH; i++) {
        byte[] digest = md5(pointName(server, i));
        for (int h = 0; h < POINTS_PER_HASH; h++) {
          ring.add(new long[] {littleEndian(digest, h * 4), s});
        }
      }
    }
    // equal positions keep libmemcached's order: a stable sort on position only
    ring.sort((a, b) -> Long.compare(a[0], b[0]));
    points = new long[ring.size()];
    owners = new int[ring.size()];
    for (int i = 0; i < ring.size(); i++) {
      points[i] = ring.get(i)[0];
      owners[i] = (int) ring.get(i)[1];
    }
  }

  public List<ServerAddress> servers() {
    return servers;
  }

  /** Returns the position of a key on the continuum. */
  public static long hash(byte[] key) {
    return littleEndian(md5(key), 0);
  }

  /** Returns the primary server of a key. */
  public ServerAddress primary(byte[] key) {
    return servers.get(owners[firstPointAtOrAfter(hash(key))]);
  }

  /**
   * Returns up to {@code count} distinct servers for a key: its primary, then the next distinct
   * servers clockwise.
   */
  public List<ServerAddress> replicas(byte[] key, int count) {
    return replicas(key, count, server -> true);
  }

  /**
   * Returns up to {@code count} distinct usable servers for a key, walking clockwise from its
   * position: a server that is not usable is skipped, so its keys fall to its neighbour (the
   * stand-in) and every other key stays where it is.
   */
  public List<ServerAddress> replicas(byte[] key, int count, Predicate<ServerAddress> usable) {
    if (count < 0) {
      throw new IllegalArgumentException("a key cannot have " + count + " replicas");
    }
    int wanted = Math.min(count, servers.size());
    List<ServerAddress> result = new ArrayList<>(wanted);
    if (wanted == 0) {
      return result;
    }
    boolean[] seen = new boolean[servers.size()];
    int distinct = 0;
    int start = firstPointAtOrAfter(hash(key));
    for (int step = 0; step < points.length && result.size() < wanted && distinct < servers.size(); step++) {
      int owner = owners[(start + step) % points.length];
      if (!seen[owner]) {
        seen[owner] = true;
        distinct++;
        if (usable.test(servers.get(owner))) {
          result.add(servers.get(owner));
        }
      }
    }
    return result;
  }

  /**
   * Returns the first usable server clockwise from a key's position, or null if none is: the first
   * of {@link #replicas}, found without building the list, since every read of a key asks for it.
   */
  public ServerAddress firstUsable(byte[] key, Predicate<ServerAddress> usable) {
    int start = firstPointAtOrAfter(hash(key));
    for (int step = 0; step < points.length; step++) {
      ServerAddress server = servers.get(owners[(start + step) % points.length]);
      if (usable.test(server)) {
        return server;
      }
    }
    return null;
  }

  private int firstPointAtOrAfter(long position) {
    int i = Arrays.binarySearch(points, position);
    if (i < 0) {
      i = -i - 1;
    } else {
      while (i > 0 && points[i - 1] == position) {
        i--; // several points at one position: the first one wins, as in libmemcached
      }
    }
    return i == points.length ? 0 : i;
  }

  private static byte[] pointName(ServerAddress server, int index) {
    String name = server.port() == DEFAULT_PORT
        ? server.host() + "-" + index
        : server.host() + ":" + server.port() + "-" + index;
    return name.getBytes(StandardCharsets.UTF_8);
  }

  private static long littleEndian(byte[] digest, int offset) {
    return ((long) (digest[offset + 3] & 0xFF) << 24) | ((long) (digest[offset + 2] & 0xFF) << 16)
        | ((long) (digest[offset + 1] & 0xFF) << 8) | (digest[offset] & 0xFF);
  }

  private static byte[] md5(byte[] input) {
    return MD5.get().digest(input); // digest() resets it for the next call
  }
}
