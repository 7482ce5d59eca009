package io.memjcache.samples.hibernate;

import io.memjcache.testkit.MemcachedCluster;
import java.io.PrintStream;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hibernate.stat.Statistics;

/**
 * The Hibernate demo: on a local 3-node memcached cluster, a second session loads an author, their
 * books and a query's results without SQL, and still does after a memcached node is killed.
 */
public final class LibraryDemo {

  /** Held here because java.util.logging forgets the level of a logger nobody references. */
  private static final Logger[] QUIET = {Logger.getLogger("net.spy"), Logger.getLogger("io.memjcache"),
      Logger.getLogger("org.hibernate")};

  private LibraryDemo() {}

  public static void main(String[] args) {
    // a killed node makes spymemcached and the provider log warnings with stack traces
    for (Logger logger : QUIET) {
      logger.setLevel(Level.SEVERE);
    }
    try (MemcachedCluster cluster = MemcachedCluster.start(3)) {
      run(cluster, System.out);
    }
  }

  /** Runs the demo on {@code cluster}, printing what each session costs. */
  public static void run(MemcachedCluster cluster, PrintStream out) {
    out.println("memcached cluster: " + cluster.servers());
    System.setProperty("memjcache.servers", cluster.servers()); // read by the cache manager
    System.setProperty("memjcache.allowedClasses", Library.CACHED_CLASSES);
    try (Library library = new Library(Map.of())) {
      Statistics stats = library.sessionFactory().getStatistics();
      long id = library.add(new Author("Ursula K. Le Guin")
          .wrote("A Wizard of Earthsea", 1968)
          .wrote("The Left Hand of Darkness", 1969)
          .wrote("The Dispossessed", 1974));
      library.sessionFactory().getCache().evictAllRegions(); // start with nothing cached

      step(out, stats, "session 1 (cold cache)", () -> library.shelf(id) + " " + library.booksPublishedSince(1969));
      step(out, stats, "session 2", () -> library.shelf(id) + " " + library.booksPublishedSince(1969));
      cluster.node(0).kill();
      out.println("killed memcached " + cluster.node(0).address() + " with SIGKILL");
      step(out, stats, "session 3", () -> library.shelf(id) + " " + library.booksPublishedSince(1969));
    } finally {
      System.clearProperty("memjcache.servers");
      System.clearProperty("memjcache.allowedClasses");
    }
  }

  private static void step(PrintStream out, Statistics stats, String name, java.util.function.Supplier<String> work) {
    stats.clear();
    String result = work.get();
    out.printf("%-22s %s%n%-22s SQL statements: %d, second-level cache hits: %d, misses: %d, query cache hits: %d%n",
        name, result, "", stats.getPrepareStatementCount(), stats.getSecondLevelCacheHitCount(),
        stats.getSecondLevelCacheMissCount(), stats.getQueryCacheHitCount());
  }
}
