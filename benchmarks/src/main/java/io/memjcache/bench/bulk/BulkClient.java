package io.memjcache.bench.bulk;

import io.memjcache.MemcachedCacheManager;
import io.memjcache.MemcachedCachingProvider;
import io.memjcache.cluster.health.ClusterMXBean;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The client JVM of the bulk benchmark, started by {@link BulkBench} with its heap capped: loads the
 * caches, runs each operation the given number of times (reloading what it emptied, unmeasured),
 * checks each run ({@link BulkChecks}) and prints one {@code @result} line per run. Each load,
 * operation and check is bounded by {@link StepLimit}.
 *
 * <p>Arguments: servers, large entries, operations (labels, comma-separated), runs per operation,
 * small entries, value bytes, step limit in seconds, operation timeout in ms.
 */
public final class BulkClient {

  private static final long MB = 1024 * 1024;

  private final ClusterMXBean cluster;
  private final BulkCaches caches;
  private final BulkChecks checks;
  private final HeapWatch heap = new HeapWatch();
  private final long limitSeconds;

  private BulkClient(ClusterMXBean cluster, BulkCaches caches, long limitSeconds) {
    this.cluster = cluster;
    this.caches = caches;
    this.checks = new BulkChecks(caches);
    this.limitSeconds = limitSeconds;
  }

  public static void main(String[] args) {
    Properties props = new Properties();
    props.setProperty("memjcache.servers", args[0]);
    props.setProperty("memjcache.copies", "2");
    props.setProperty("memjcache.operationTimeoutMillis", args[7]);
    List<BulkOp> ops = BulkOp.parseList(args[2]);
    int runs = Integer.parseInt(args[3]);
    try (MemcachedCachingProvider provider = new MemcachedCachingProvider();
        MemcachedCacheManager manager = provider.getCacheManager(URI.create("memjcache:bulk-bench"),
            BulkClient.class.getClassLoader(), props).unwrap(MemcachedCacheManager.class)) {
      BulkCaches caches = new BulkCaches(manager, Integer.parseInt(args[1]), Integer.parseInt(args[4]),
          Integer.parseInt(args[5]));
      BulkClient client = new BulkClient(manager.cluster(), caches, Long.parseLong(args[6]));
      for (BulkOp op : ops) {
        for (int run = 1; run <= runs; run++) {
          client.measure(op, run);
        }
      }
    }
    System.out.println("@done");
  }

  private void measure(BulkOp op, int run) {
    long loadMs = StepLimit.within("loading for " + op.label(), limitSeconds, () -> caches.prepare(op));
    heap.start();
    long suspicions = cluster.getSuspicions();
    long markedDown = cluster.getNodesMarkedDown();
    long listed = cluster.getKeysListed();
    long start = System.nanoTime();
    StepLimit.run(op.label(), limitSeconds, () -> execute(op));
    long micros = (System.nanoTime() - start) / 1000;
    long peak = heap.peakUsed();
    long live = heap.maxLiveAfterGc();
    caches.ran(op);
    StepLimit.run("checking " + op.label(), limitSeconds, () -> check(op));
    System.out.printf(Locale.ROOT, "@result op=%s run=%d entries=%d micros=%d peakMb=%.1f liveMb=%.1f"
        + " suspicions=%d markedDown=%d keysListed=%d loadMs=%d%n", op.label(), run, caches.entriesOf(op),
        micros, (double) peak / MB, (double) live / MB, cluster.getSuspicions() - suspicions,
        cluster.getNodesMarkedDown() - markedDown, cluster.getKeysListed() - listed, loadMs);
  }

  private void execute(BulkOp op) {
    switch (op) {
      case ITERATE, SMALL_ITERATE -> checks.iterateChecked(op);
      case REMOVE_ALL, SMALL_REMOVE_ALL -> caches.cacheOf(op).removeAll();
      case CLEAR, SMALL_CLEAR -> caches.cacheOf(op).clear();
    }
  }

  private void check(BulkOp op) {
    if (op.empties()) {
      checks.emptied(op);
    }
    if (op.small()) {
      checks.largeIntact(op);
    }
  }
}
