package io.memjcache.bulk;

import io.memjcache.MemcachedCacheManager;
import io.memjcache.MemcachedCachingProvider;
import io.memjcache.ResolvedSettings;
import io.memjcache.cluster.health.ClusterMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;

/**
 * A client JVM for {@link BulkOperationsTest}: fills a cache with {@code entries} small entries, runs
 * one bulk operation ({@code clear}, {@code removeAll} or {@code iterate}) and prints what it saw as
 * {@code @name value} lines: the operation's time, the heap it peaked at, the cluster's counters.
 *
 * <p>Arguments: servers, operation, entries, operation timeout in ms.
 */
public final class BulkClient {

  private static final int FILL_CHUNK = 1000;

  private BulkClient() {}

  public static void main(String[] args) {
    String servers = args[0];
    String operation = args[1];
    int entries = Integer.parseInt(args[2]);
    Properties props = new Properties();
    props.setProperty("memjcache.servers", servers);
    props.setProperty("memjcache.operationTimeoutMillis", args[3]);
    try (MemcachedCachingProvider provider = new MemcachedCachingProvider();
        MemcachedCacheManager manager = provider.getCacheManager(URI.create("memjcache://bulk"),
            BulkClient.class.getClassLoader(), props).unwrap(MemcachedCacheManager.class)) {
      Cache<Integer, String> cache = manager.createCache("bulk",
          new MutableConfiguration<Integer, String>().setTypes(Integer.class, String.class));
      System.out.println("@prefix " + ResolvedSettings.of(manager).keyRing()
          .keyCodec(ResolvedSettings.of(manager).namespace(), "bulk").prefix());
      fill(cache, entries);
      ClusterMXBean cluster = manager.cluster();
      resetPeakHeap();
      long listedBefore = cluster.getKeysListed();
      long start = System.nanoTime();
      long handedOut = run(operation, cache, cluster);
      long millis = (System.nanoTime() - start) / 1_000_000;
      System.out.println("@millis " + millis);
      System.out.println("@keysListedByOperation " + (cluster.getKeysListed() - listedBefore));
      if (!operation.equals("iterate")) {
        System.out.println("@visibleAfter " + visible(cache, entries));
      }
      System.out.println("@handedOut " + handedOut);
      System.out.println("@peakHeapMb " + peakHeap() / (1024 * 1024));
      System.out.println("@suspicions " + cluster.getSuspicions());
      System.out.println("@nodesMarkedDown " + cluster.getNodesMarkedDown());
      System.out.println("@failovers " + cluster.getFailovers());
      System.out.println("@keysListed " + cluster.getKeysListed());
      System.out.println("@nodeStates " + cluster.getNodeStates());
    }
    System.out.println("@done");
  }

  private static void fill(Cache<Integer, String> cache, int entries) {
    Map<Integer, String> chunk = new HashMap<>();
    for (int i = 0; i < entries; i++) {
      chunk.put(i, "value-" + i);
      if (chunk.size() == FILL_CHUNK || i == entries - 1) {
        cache.putAll(chunk);
        chunk.clear();
      }
    }
  }

  /** Runs the operation; returns how many entries it handed out (iteration) or -1. */
  private static long run(String operation, Cache<Integer, String> cache, ClusterMXBean cluster) {
    switch (operation) {
      case "clear" -> cache.clear();
      case "removeAll" -> cache.removeAll();
      case "iterate" -> {
        return iterate(cache, cluster);
      }
      default -> throw new IllegalArgumentException("unknown operation " + operation);
    }
    return -1;
  }

  /** Entries a reader still finds: by iteration, and by reading a thousand keys back. */
  private static long visible(Cache<Integer, String> cache, int entries) {
    long found = 0;
    for (Cache.Entry<Integer, String> ignored : cache) {
      found++;
    }
    Set<Integer> sample = new HashSet<>();
    for (int i = 0; i < entries; i += Math.max(1, entries / 1000)) {
      sample.add(i);
    }
    return found + cache.getAll(sample).size();
  }

  private static long iterate(Cache<Integer, String> cache, ClusterMXBean cluster) {
    long listedBefore = cluster.getKeysListed();
    Iterator<Cache.Entry<Integer, String>> entries = cache.iterator();
    long count = 0;
    java.util.BitSet seen = new java.util.BitSet();
    while (entries.hasNext()) {
      Cache.Entry<Integer, String> entry = entries.next();
      if (count == 0) {
        System.out.println("@listedAtFirst " + (cluster.getKeysListed() - listedBefore));
      }
      if (!entry.getValue().equals("value-" + entry.getKey())) {
        throw new AssertionError("wrong value for " + entry.getKey() + ": " + entry.getValue());
      }
      seen.set(entry.getKey());
      count++;
    }
    System.out.println("@distinct " + seen.cardinality());
    return count;
  }

  private static void resetPeakHeap() {
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  /** The sum of the heap pools' peaks since the reset: an upper bound of the heap used at once. */
  private static long peakHeap() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP)
        .mapToLong(pool -> pool.getPeakUsage().getUsed())
        .sum();
  }
}
