package io.memjcache.samples.quickstart;

import io.memjcache.MemcachedCache;
import io.memjcache.MemcachedCacheManager;
import io.memjcache.cluster.health.ClusterMXBean;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
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
 * sharding, read-through, a listener, an entry processor, expiry, statistics, and a node killed
 * with SIGKILL while every entry stays readable from its second copy.
 */
public final class QuickStart {

  static final int ENTRIES = 30;
  /** How many nodes hold each entry ({@code memjcache.copies}; 1 = no backup). */
  static final int COPIES = 2;

  /** What the demo observed, so that a test can check it. */
  public record Result(Map<String, Integer> itemsPerNode, String loaded, int createdEvents,
      long counter, boolean presentBeforeExpiry, boolean presentAfterExpiry, Statistics statistics,
      String killedNode, int readableAfterKill, Map<String, String> nodeStatesAfterKill) {}

  /** The cache's statistics as printed. */
  public record Statistics(long gets, long hits, long misses, long puts) {}

  private QuickStart() {}

  public static void main(String[] args) throws Exception {
    // a killed node makes the memcached client log connection errors; the demo prints what matters
    Logger.getLogger("net.spy").setLevel(Level.OFF);
    Logger.getLogger("io.memjcache").setLevel(Level.OFF);
    try (MemcachedCluster cluster = MemcachedCluster.start(3)) {
      run(cluster, System.out);
    }
  }

  /** Runs the demo against {@code cluster} (which it leaves with one node killed), printing what happens. */
  public static Result run(MemcachedCluster cluster, PrintStream out) throws InterruptedException {
    out.println("memcached cluster: " + cluster.servers());
    // what an application does: name the servers; everything else is plain javax.cache
    Properties properties = new Properties();
    properties.setProperty("memjcache.servers", cluster.servers());
    properties.setProperty("memjcache.copies", String.valueOf(COPIES));
    CacheManager manager = Caching.getCachingProvider().getCacheManager(
        URI.create("memjcache:quickstart"), QuickStart.class.getClassLoader(), properties);
    try {
      return demo(manager, cluster, out);
    } finally {
      manager.close();
    }
  }

  private static Result demo(CacheManager manager, MemcachedCluster cluster, PrintStream out)
      throws InterruptedException {
    // sharding: each entry lives on COPIES nodes of the ketama ring
    AtomicInteger created = new AtomicInteger();
    MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setStatisticsEnabled(true)
        .setReadThrough(true)
        .setCacheLoaderFactory(FactoryBuilder.factoryOf(new GreetingLoader()))
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(new CreatedCounter(created)), null, false, true));
    manager.destroyCache("greetings"); // a fresh start, also on servers an earlier run used
    Cache<String, String> greetings = manager.createCache("greetings", config);
    for (int i = 0; i < ENTRIES; i++) {
      greetings.put("user-" + i, "hello " + i);
    }
    Map<String, Integer> perNode = itemsPerNode(cluster);
    out.println("put " + ENTRIES + " entries, " + COPIES + " copies each; items per node: " + perNode);

    // read-through: a miss asks the CacheLoader and caches its answer
    String loaded = greetings.get("user-loaded");
    out.println("read-through: get(\"user-loaded\") = \"" + loaded + "\"");

    // a synchronous listener has seen every creation by the time put/get returns
    out.println("listener: " + created.get() + " CREATED events (" + ENTRIES + " puts + 1 load)");

    // invoke: an atomic read-modify-write (a CAS loop on the entry's node)
    Cache<String, Long> counters = manager.createCache("counters",
        new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
    for (int i = 0; i < 5; i++) {
      counters.invoke("visits", (entry, args) -> {
        entry.setValue(entry.exists() ? entry.getValue() + 1 : 1L);
        return null;
      });
    }
    long counter = counters.get("visits");
    out.println("invoke: 5 increments of \"visits\" -> " + counter);

    // expiry to the millisecond, although memcached's own TTL counts whole seconds
    Cache<String, String> shortLived = manager.createCache("short-lived",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class)
            .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 500))));
    shortLived.put("token", "abc");
    boolean before = shortLived.get("token") != null;
    Thread.sleep(600);
    boolean after = shortLived.get("token") != null;
    out.println("expiry (500 ms): present at once: " + before + ", after 600 ms: " + after);

    // statistics: read every entry once more, then ask the cache
    for (int i = 0; i < ENTRIES; i++) {
      greetings.get("user-" + i);
    }
    CacheStatisticsMXBean mx = greetings.unwrap(MemcachedCache.class).statistics();
    Statistics stats = new Statistics(mx.getCacheGets(), mx.getCacheHits(), mx.getCacheMisses(),
        mx.getCachePuts());
    out.println("statistics: gets=" + stats.gets() + " hits=" + stats.hits() + " misses="
        + stats.misses() + " puts=" + stats.puts());

    // failover: a node dies; the entries it held are read from their other copy
    MemcachedProcess victim = cluster.node(0);
    int readable = readableAfterKill(victim, greetings, perNode, out);
    Map<String, String> states = statesOnceDown(manager.unwrap(MemcachedCacheManager.class).cluster(),
        victim.address());
    out.println("node states: " + states);
    return new Result(perNode, loaded, created.get(), counter, before, after, stats,
        victim.address(), readable, states);
  }

  /**
   * Kills {@code victim} with SIGKILL and returns how many of the entries are still readable: with
   * {@code COPIES} = 2 each entry has a copy on another node, so all of them; with 1, about a third
   * are lost.
   */
  private static int readableAfterKill(MemcachedProcess victim, Cache<String, String> greetings,
      Map<String, Integer> perNode, PrintStream out) {
    victim.kill();
    out.println("failover: killed " + victim.address() + " (SIGKILL), which held "
        + perNode.get(victim.address()) + " of the " + ENTRIES * COPIES + " items");
    int readable = 0;
    for (int i = 0; i < ENTRIES; i++) {
      if (("hello " + i).equals(greetings.get("user-" + i))) {
        readable++;
      }
    }
    out.println("after the kill: " + readable + "/" + ENTRIES + " entries readable");
    return readable;
  }

  /**
   * The node states once {@code victim} shows DOWN, at most 5 s on: its dropped connection only made
   * it suspected (a timeout or a dropped connection is no evidence), its refused port, found by the
   * provider's next probe a few milliseconds later, is.
   */
  private static Map<String, String> statesOnceDown(ClusterMXBean view, String victim)
      throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (!"DOWN".equals(view.getNodeStates().get(victim)) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return view.getNodeStates();
  }

  /** Counts the items on each node, in the cluster's order, with memcached's own key listing. */
  private static Map<String, Integer> itemsPerNode(MemcachedCluster cluster) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (MemcachedProcess node : cluster.nodes()) {
      try {
        counts.put(node.address(),
            (int) node.command("lru_crawler metadump all").lines()
                .filter(l -> l.startsWith("key=") && !l.startsWith("key=memjcache%3A"))
                // an entry is <cache>:<generation>:<key>; the provider's membership mark and
                // the cache's generation record are not entries
                .filter(l -> l.substring(0, l.indexOf(' ')).split("%3A", -1).length == 3)
                .count());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list the keys of " + node.address(), e);
      }
    }
    return counts;
  }

  /** Loads a value for a key that is not cached: where an application would query its database. */
  public static final class GreetingLoader implements CacheLoader<String, String>, Serializable {
    private static final long serialVersionUID = 1L;

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
  public static final class CreatedCounter
      implements CacheEntryCreatedListener<String, String>, Serializable {
    private static final long serialVersionUID = 1L;
    private final transient AtomicInteger created;

    CreatedCounter(AtomicInteger created) {
      this.created = created;
    }

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> created.incrementAndGet());
    }
  }
}
