package io.memjcache.bulk;

import io.memjcache.MemcachedCachingProvider;
import java.net.URI;
import java.util.Objects;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;

/**
 * A reader in a JVM of its own for {@link ClearGenerationTest}: reads one key of cache {@code c}
 * every few milliseconds for a while and reports each run of equal answers, with the wall-clock
 * start of its first and of its last read: {@code @run<n> <first> <last> <value>}.
 *
 * <p>Arguments: servers, how long to read (ms).
 */
public final class ClearWatcher {

  private ClearWatcher() {}

  public static void main(String[] args) throws InterruptedException {
    Properties props = new Properties();
    props.setProperty("memjcache.servers", args[0]);
    long until = System.currentTimeMillis() + Long.parseLong(args[1]);
    try (MemcachedCachingProvider provider = new MemcachedCachingProvider();
        CacheManager manager = provider.getCacheManager(URI.create(ClearGenerationTest.MANAGER),
            ClearWatcher.class.getClassLoader(), props)) {
      Cache<String, String> cache = manager.createCache("c",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      int runs = 0;
      String value = null;
      long first = 0;
      long last = 0;
      while (System.currentTimeMillis() < until) {
        long start = System.currentTimeMillis();
        String read = cache.get("k");
        if (runs == 0 || !Objects.equals(read, value)) {
          if (runs > 0) {
            System.out.println("@run" + runs + " " + first + " " + last + " " + value);
          }
          runs++;
          value = read;
          first = start;
        }
        last = start;
        Thread.sleep(2);
      }
      System.out.println("@run" + runs + " " + first + " " + last + " " + value);
      System.out.println("@runs " + runs);
    }
    System.out.println("@done");
  }
}
