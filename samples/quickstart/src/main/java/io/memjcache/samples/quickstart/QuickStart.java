package io.memjcache.samples.quickstart;

import io.memjcache.MemcachedCache;
import io.memjcache.MemcachedCacheManager;
import io.memjcache.cluster.Cluster;
import io.memjcache.testkit.MemcachedCluster;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.integration.CacheLoader;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * The quick start: plain {@code javax.cache} code on a local 3-node memcached cluster, showing
 * sharding, read-through, expiry, a listener, an entry processor, statistics and a node killed with
 * every entry still readable from its backup.
 */
public final class QuickStart {

  static final int ENTRIES = 30;

  /** What the demo observed, so a test can check it. */
  public record Result(Map<String, Integer> entriesPerNode, String loaded, boolean presentBeforeExpiry,
      boolean presentAfterExpiry, int createdEvents, long counter, CacheStatisticsMXBean statistics,
      int readableAfterKill, Map<String, String> nodeStatesAfterKill) {}

  private QuickStart() {}

  public static void main(String[] args) throws Exception {
    Logger.getLogger("net.spy").setLevel(Level.SEVERE); // a killed node makes spymemcached log stack traces
    Logger.getLogger("io.memjcache").setLevel(Level.SEVERE);
    try (MemcachedCluster cluster = MemcachedCluster.start(3)) {
      run(cluster, System.out);
    }
  }

  /** Runs the demo against {@code cluster}, printing what happens. */
  public static Result run(MemcachedCluster cluster, PrintStream out) throws InterruptedException {
    out.println("memcached cluster: " + cluster.servers());
    Properties properties = new Properties();
    properties.setProperty("memjcache.servers", cluster.servers()); // 2 copies of each entry by default
    CacheManager manager = Caching.getCachingProvider()
        .getCacheManager(URI.create("memjcache:quickstart"), QuickStart.class.getClassLoader(), properties);
    try {
      return demo(manager, cluster, out);
    } finally {
      manager.close();
    }
  }

  private static Result demo(CacheManager manager, MemcachedCluster cluster, PrintStream out)
      throws InterruptedException {
    AtomicInteger created = new AtomicInteger();
    MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setStatisticsEnabled(true)
        .setReadThrough(true)
        .setCacheLoaderFactory(FactoryBuilder.factoryOf(new Loader()))
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(new CountingListener(created)), null, false, true));
    manager.destroyCache("greetings"); // a fresh start, also after an earlier run on the same servers
    Cache<String, String> cache = manager.createCache("greetings", config);

    for (int i = 0; i < ENTRIES; i++) {
      cache.put("user-" + i, "hello " + i);
    }
    Cluster nodes = manager.unwrap(MemcachedCacheManager.class).cluster();
    Map<String, Integer> perNode = entriesPerNode(cluster);
    out.println("put " + ENTRIES + " entries, 2 copies each; items per node: " + perNode);

    String loaded = cache.get("user-loaded");
    out.println("read-through: get(\"user-loaded\") = " + loaded);
    out.println("listener: " + created.get() + " CREATED events");

    Cache<String, Long> counters = manager.createCache("counters",
        new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
    for (int i = 0; i < 5; i++) {
      counters.invoke("visits", (entry, args) -> {
        entry.setValue(entry.exists() ? entry.getValue() + 1 : 1L);
        return null;
      });
    }
    long counter = counters.get("visits");
    out.println("invoke: counter incremented atomically (CAS) 5 times = " + counter);

    Cache<String, String> shortLived = manager.createCache("short-lived",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class)
            .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 500))));
    shortLived.put("token", "abc");
    boolean before = shortLived.get("token") != null;
    Thread.sleep(600);
    boolean after = shortLived.get("token") != null;
    out.println("expiry: 500 ms entry present at once: " + before + ", after 600 ms: " + after
        + " (memcached's TTL is 1 s; the provider expires it to the millisecond)");

    CacheStatisticsMXBean stats = cache.unwrap(MemcachedCache.class).statistics();
    out.println("statistics: gets=" + stats.getCacheGets() + " hits=" + stats.getCacheHits()
        + " misses=" + stats.getCacheMisses() + " puts=" + stats.getCachePuts());

    String victim = cluster.node(0).address();
    cluster.node(0).kill();
    out.println("killed " + victim + " with SIGKILL");
    int readable = 0;
    for (int i = 0; i < ENTRIES; i++) {
      if (("hello " + i).equals(cache.get("user-" + i))) {
        readable++;
      }
    }
    out.println("after the kill: " + readable + "/" + ENTRIES + " entries readable; nodes: "
        + nodes.getNodeStates());
    return new Result(perNode, loaded, before, after, created.get(), counter, stats, readable,
        nodes.getNodeStates());
  }

  /** Counts our items on each node with memcached's own key listing. */
  private static Map<String, Integer> entriesPerNode(MemcachedCluster cluster) {
    Map<String, Integer> counts = new TreeMap<>();
    cluster.nodes().forEach(node -> {
      try {
        List<String> lines = node.command("lru_crawler metadump all").lines()
            .filter(l -> l.startsWith("key=")).toList();
        counts.put(node.address(), lines.size());
      } catch (java.io.IOException e) {
        counts.put(node.address(), -1);
      }
    });
    return counts;
  }

  /** Loads a value for any key that is not cached: what a database lookup would be. */
  public static final class Loader implements CacheLoader<String, String>, java.io.Serializable {
    @Override
    public String load(String key) {
      return "loaded for " + key;
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      Map<String, String> result = new TreeMap<>();
      keys.forEach(k -> result.put(k, load(k)));
      return result;
    }
  }

  /** Counts CREATED events. */
  public static final class CountingListener implements CacheEntryCreatedListener<String, String>,
      java.io.Serializable {
    private final transient AtomicInteger created;

    CountingListener(AtomicInteger created) {
      this.created = created;
    }

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> created.incrementAndGet());
    }
  }
}
