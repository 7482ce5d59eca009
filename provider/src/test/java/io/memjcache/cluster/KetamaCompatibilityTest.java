package io.memjcache.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import net.spy.memcached.DefaultHashAlgorithm;
import net.spy.memcached.KetamaNodeKeyFormatter;
import net.spy.memcached.KetamaNodeLocator;
import net.spy.memcached.MemcachedNode;
import org.junit.jupiter.api.Test;

/**
 * Placement must match the libmemcached family: checked key by key against spymemcached's own
 * ketama locator in its LIBMEMCACHED key format, an independent implementation of the same rules.
 */
class KetamaCompatibilityTest {

  static final int KEYS = 20_000;

  @Test
  void primaryMatchesSpymemcachedLibmemcachedModeOnNonDefaultPorts() {
    assertSamePlacement(List.of(server("10.0.1.1", 11212, 1), server("10.0.1.2", 11213, 1),
        server("10.0.1.3", 11214, 1)), false);
  }

  @Test
  void primaryMatchesSpymemcachedWhenServersUseTheDefaultPort() {
    // on 11211 libmemcached names points "host-i", without the port
    assertSamePlacement(List.of(server("cache-a", 11211, 1), server("cache-b", 11211, 1),
        server("cache-c", 11211, 1), server("cache-d", 11211, 1), server("cache-e", 11211, 1)), false);
  }

  @Test
  void weightedPrimaryMatchesSpymemcachedWeightedLibmemcachedMode() {
    assertSamePlacement(List.of(server("10.0.2.1", 11211, 1), server("10.0.2.2", 11211, 3),
        server("10.0.2.3", 11300, 2)), true);
  }

  @Test
  void replicasAreDistinctPrimaryFirstAndWalkClockwise() {
    KetamaRing ring = new KetamaRing(List.of(server("a", 1, 1), server("b", 2, 1), server("c", 3, 1)));
    for (int i = 0; i < 1000; i++) {
      byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
      List<ServerAddress> replicas = ring.replicas(key, 2);
      assertEquals(2, replicas.size());
      assertEquals(ring.primary(key), replicas.get(0));
      assertNotEquals(replicas.get(0), replicas.get(1));
      assertEquals(3, new HashSet<>(ring.replicas(key, 5)).size(), "never more than the servers");
      // skipping the primary makes the backup the first replica: the stand-in is the backup
      ServerAddress primary = replicas.get(0);
      assertEquals(replicas.get(1), ring.replicas(key, 1, s -> !s.equals(primary)).get(0));
    }
  }

  @Test
  void removingOneServerMovesOnlyItsOwnKeys() {
    List<ServerAddress> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      five.add(server("10.0.3." + i, 11211, 1));
    }
    KetamaRing before = new KetamaRing(five);
    KetamaRing after = new KetamaRing(five.subList(0, 4));
    int moved = 0;
    for (int i = 0; i < KEYS; i++) {
      byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
      ServerAddress was = before.primary(key);
      if (!was.equals(five.get(4))) {
        assertEquals(was, after.primary(key), "a key of a remaining server moved");
      } else {
        moved++;
      }
    }
    assertTrue(moved > KEYS / 5 * 0.7 && moved < KEYS / 5 * 1.3, "about a fifth moved: " + moved);
  }

  @Test
  void weightsShareKeysProportionally() {
    List<ServerAddress> servers = List.of(server("w1", 11211, 1), server("w3", 11211, 3));
    KetamaRing ring = new KetamaRing(servers);
    int onHeavy = 0;
    for (int i = 0; i < KEYS; i++) {
      if (ring.primary(("key-" + i).getBytes(StandardCharsets.UTF_8)).equals(servers.get(1))) {
        onHeavy++;
      }
    }
    double share = onHeavy / (double) KEYS;
    assertTrue(share > 0.68 && share < 0.82, "weight 3 of 4 gets about 75%: " + share);
  }

  private static void assertSamePlacement(List<ServerAddress> servers, boolean weighted) {
    KetamaRing ours = new KetamaRing(servers);
    List<MemcachedNode> nodes = new ArrayList<>();
    Map<InetSocketAddress, Integer> weights = new HashMap<>();
    for (ServerAddress s : servers) {
      InetSocketAddress address = InetSocketAddress.createUnresolved(s.host(), s.port());
      nodes.add(node(address));
      weights.put(address, s.weight());
    }
    KetamaNodeLocator theirs = weighted
        ? new KetamaNodeLocator(nodes, DefaultHashAlgorithm.KETAMA_HASH,
            KetamaNodeKeyFormatter.Format.LIBMEMCACHED, weights)
        : new KetamaNodeLocator(nodes, DefaultHashAlgorithm.KETAMA_HASH,
            KetamaNodeKeyFormatter.Format.LIBMEMCACHED, new HashMap<>());
    for (int i = 0; i < KEYS; i++) {
      String key = "key:" + i + ":" + (i * 7919);
      InetSocketAddress expected = (InetSocketAddress) theirs.getPrimary(key).getSocketAddress();
      ServerAddress actual = ours.primary(key.getBytes(StandardCharsets.UTF_8));
      assertEquals(expected.getHostString() + ":" + expected.getPort(), actual.toString(), key);
    }
  }

  private static MemcachedNode node(InetSocketAddress address) {
    return (MemcachedNode) Proxy.newProxyInstance(KetamaCompatibilityTest.class.getClassLoader(),
        new Class<?>[] {MemcachedNode.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "getSocketAddress":
              return address;
            case "toString":
              return address.toString();
            case "hashCode":
              return address.hashCode();
            case "equals":
              return proxy == args[0];
            default:
              throw new UnsupportedOperationException(method.getName());
          }
        });
  }

  private static ServerAddress server(String host, int port, int weight) {
    return new ServerAddress(host, port, weight);
  }
}
