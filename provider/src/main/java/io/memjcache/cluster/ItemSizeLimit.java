package io.memjcache.cluster;

import java.net.SocketAddress;
import java.util.Map;
import javax.cache.CacheException;
import net.spy.memcached.MemcachedClient;

/**
 * The item size limit of one memcached server ({@code -I}), so that oversized items are refused
 * here: memcached answers them with "Too large", which spymemcached's binary CAS cannot handle (it
 * resets the connection).
 */
final class ItemSizeLimit {

  /** memcached's default {@code -I}, assumed until the server says otherwise. */
  static final long DEFAULT_ITEM_SIZE_MAX = 1024 * 1024;
  /** Bytes of an item that are not its value: header, key, CAS, terminators (memcached's items.c). */
  static final int ITEM_OVERHEAD = 64;

  private final ServerAddress server;
  private volatile long itemSizeMax = DEFAULT_ITEM_SIZE_MAX;

  ItemSizeLimit(ServerAddress server) {
    this.server = server;
  }

  /** Reads the limit from the server's settings; an unreachable server keeps the one known. */
  void learn(MemcachedClient client) {
    try {
      Map<SocketAddress, Map<String, String>> stats = client.getStats("settings");
      for (Map<String, String> settings : stats.values()) {
        String value = settings.get("item_size_max");
        if (value != null) {
          itemSizeMax = Long.parseLong(value.trim());
        }
      }
    } catch (RuntimeException e) {
      // unreachable now: keep the default until the node is readmitted
    }
  }

  /** Throws if an item of that key and value would exceed the limit. */
  void check(String key, byte[] bytes) {
    long size = (long) bytes.length + key.length() + ITEM_OVERHEAD;
    if (size > itemSizeMax) {
      throw new CacheException("the entry for " + key + " needs " + size + " bytes, more than the item"
          + " size limit of memcached " + server + " (" + itemSizeMax + " bytes, memcached -I)");
    }
  }
}
