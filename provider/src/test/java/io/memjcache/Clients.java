package io.memjcache;

import io.memjcache.testkit.MemcachedCluster;
import java.net.URI;
import java.util.Properties;
import javax.cache.CacheManager;

/** Test clients: each provider instance has its own connections, like another JVM would. */
final class Clients {

  static final ClassLoader LOADER = Clients.class.getClassLoader();

  private Clients() {}

  static CacheManager manager(MemcachedCluster cluster, String uri, String... settings) {
    Properties props = new Properties();
    props.setProperty("memjcache.servers", cluster.servers());
    props.setProperty("memjcache.allowedClasses", Fixtures.TEST_CLASSES);
    for (int i = 0; i + 1 < settings.length; i += 2) {
      props.setProperty(settings[i], settings[i + 1]);
    }
    return cluster.closeFirst(new MemcachedCachingProvider()).getCacheManager(URI.create(uri), LOADER, props);
  }

  /** The memcached key a cache key is stored under now: see {@link StoredKeys}. */
  static String memcachedKey(CacheManager manager, String cacheName, Object key) {
    return StoredKeys.memcachedKey(manager, cacheName, key);
  }

  /** Stores raw bytes under a memcached key on every node, as another client might. */
  static void rawSet(MemcachedCluster cluster, String memcachedKey, int flags, byte[] bytes)
      throws java.io.IOException {
    for (var node : cluster.nodes()) {
      // the text protocol takes the data block verbatim after the command line
      String reply = node.command("set " + memcachedKey + " " + flags + " 0 " + bytes.length + "\r\n"
          + new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1));
      if (!reply.startsWith("STORED")) {
        throw new IllegalStateException("raw set failed: " + reply);
      }
    }
  }
}
