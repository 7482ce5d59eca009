package io.memjcache;

import io.memjcache.codec.AllowList;
import io.memjcache.codec.EntryCodec;
import io.memjcache.codec.KeyCodec;
import io.memjcache.codec.KryoSerializer;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import javax.cache.CacheManager;

/**
 * Shared setup of the provider tests: managers on a real cluster (each on its own provider
 * instance, so each has its own connections, as another JVM would), the memcached key of a cache
 * key, raw items written behind the provider's back, and the servers' {@code stats} counters.
 */
final class Fixtures {

  static final ClassLoader LOADER = Fixtures.class.getClassLoader();

  /**
   * The test classes the provider tests store, as an application configures its own; the attacker's
   * classes ({@code io.memjcache.gadgets}) are deliberately left out.
   */
  static final String TEST_CLASSES = "io.memjcache.*,io.memjcache.codec.*";

  private static final KryoSerializer SERIALIZER = new KryoSerializer(LOADER, AllowList.parse(TEST_CLASSES));

  private Fixtures() {}

  /** A manager on its own provider instance; {@code settings} are name, value, name, value... */
  static MemcachedCacheManager manager(MemcachedCluster cluster, String uri, String... settings) {
    return manager(cluster.closeFirst(new MemcachedCachingProvider()), cluster, uri, settings);
  }

  static MemcachedCacheManager manager(MemcachedCachingProvider provider, MemcachedCluster cluster,
      String uri, String... settings) {
    Properties props = new Properties();
    props.setProperty("memjcache.servers", cluster.servers());
    props.setProperty("memjcache.allowedClasses", TEST_CLASSES);
    for (int i = 0; i + 1 < settings.length; i += 2) {
      props.setProperty(settings[i], settings[i + 1]);
    }
    return provider.getCacheManager(URI.create(uri), LOADER, props)
        .unwrap(MemcachedCacheManager.class);
  }

  /** The memcached key a cache key is stored under now: see {@link StoredKeys}. */
  static String memcachedKey(CacheManager manager, String cacheName, Object key) {
    return StoredKeys.memcachedKey(manager, cacheName, key);
  }

  /** The serialized bytes of a key, as the provider stores them in an entry. */
  static byte[] keyBytes(Object key) {
    return codec("any", "any").encodeKey(key).bytes();
  }

  /** The provider's codec for a cache of Objects that may hold this project's test classes. */
  static EntryCodec<Object, Object> codec(String namespace, String cacheName) {
    return new EntryCodec<>(new KeyCodec(namespace, cacheName), SERIALIZER, Object.class, Object.class);
  }

  static byte[] kryo(Object o) {
    return SERIALIZER.serialize(o);
  }

  /** Stores raw bytes with a text-protocol {@code set} on one node, as another client might. */
  static void rawSet(MemcachedProcess node, String memcachedKey, int flags, byte[] bytes)
      throws IOException {
    // the text protocol takes the data block verbatim; ISO-8859-1 maps bytes 0-255 one to one
    String reply = node.command("set " + memcachedKey + " " + flags + " 0 " + bytes.length + "\r\n"
        + new String(bytes, StandardCharsets.ISO_8859_1));
    if (!reply.startsWith("STORED")) {
      throw new IllegalStateException("raw set on " + node + " failed: " + reply);
    }
  }

  /** Stores raw bytes under a memcached key on every node (so no replica holds a valid copy). */
  static void rawSetEverywhere(MemcachedCluster cluster, String memcachedKey, int flags, byte[] bytes)
      throws IOException {
    for (MemcachedProcess node : cluster.nodes()) {
      rawSet(node, memcachedKey, flags, bytes);
    }
  }

  /** Returns the raw text-protocol reply to {@code get key} on one node. */
  static String rawGet(MemcachedProcess node, String memcachedKey) throws IOException {
    return node.command("get " + memcachedKey);
  }

  /** The numeric {@code stats} counters of one node. */
  static Map<String, Long> stats(MemcachedProcess node) throws IOException {
    Map<String, Long> counters = new TreeMap<>();
    for (String line : node.command("stats").split("\r\n")) {
      String[] f = line.split(" ");
      if (f.length == 3 && f[0].equals("STAT")) {
        try {
          counters.put(f[1], Long.parseLong(f[2]));
        } catch (NumberFormatException notACounter) {
          // versions, rusage seconds and the like
        }
      }
    }
    return counters;
  }

  /** The stats counters of every node, in {@link MemcachedCluster#nodes()} order. */
  static List<Map<String, Long>> stats(MemcachedCluster cluster) throws IOException {
    List<Map<String, Long>> all = new ArrayList<>();
    for (MemcachedProcess node : cluster.nodes()) {
      all.add(stats(node));
    }
    return all;
  }
}
