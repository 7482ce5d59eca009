package io.memjcache.samples.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.MemcachedCache;
import io.memjcache.MemcachedCacheManager;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.CacheManager;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the application on one memcached cluster: one in this JVM, the other a separate
 * JVM started with {@code java}, as a second server of the same application would be.
 */
@RealMemcached
class BookshopApplicationTest {

  static final String EFFECTIVE_JAVA = "978-0134685991";
  static final String CONCURRENCY = "978-0321349606";
  static final String UNKNOWN = "000-0000000000";

  @Test
  void aSecondInstanceIsServedFromMemcachedAndSeesTheFirstOnesEvictions() throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(3);
        ConfigurableApplicationContext first = new SpringApplicationBuilder(BookshopApplication.class)
            .web(WebApplicationType.NONE)
            .run("--memjcache.servers=" + cluster.servers())) {
      BookService books = first.getBean(BookService.class);

      assertEquals("Effective Java", books.find(EFFECTIVE_JAVA).title());
      assertEquals("Effective Java", books.find(EFFECTIVE_JAVA).title());
      assertEquals(1, books.lookups(), "the second call is answered by the cache");
      assertNull(books.find(UNKNOWN));
      assertNull(books.find(UNKNOWN));
      assertEquals(2, books.lookups(), "a null result is cached too");
      books.find(CONCURRENCY);
      assertEquals(3, books.lookups());

      // the entry is where ketama puts it: on its primary and its backup, on no other node
      javax.cache.CacheManager jcache =
          ((JCacheCacheManager) first.getBean(CacheManager.class)).getCacheManager();
      assertEquals(new Duration(TimeUnit.MINUTES, 10), expiryForCreation(jcache.getCache("books")),
          "spring.cache.cache-names made the cache with the application's cacheConfiguration bean");
      MemcachedCacheManager manager = jcache.unwrap(MemcachedCacheManager.class);
      @SuppressWarnings("unchecked")
      MemcachedCache<Object, Object> booksCache = manager.getCache("books").unwrap(MemcachedCache.class);
      String key = booksCache.memcachedKeyOf(EFFECTIVE_JAVA);
      List<String> replicas = manager.cluster().replicasOf(key);
      assertEquals(2, replicas.size());
      for (MemcachedProcess node : cluster.nodes()) {
        String reply = node.command("mg " + key).trim();
        assertEquals(replicas.contains(node.address()) ? "HD" : "EN", reply, node.address() + " for " + key);
      }

      // a second instance, in its own JVM: it evicts one book and reads two the first one cached
      List<String> second = runSecondInstance(cluster.servers(), "--refresh=" + CONCURRENCY, EFFECTIVE_JAVA, UNKNOWN);
      assertTrue(second.contains("refreshed " + CONCURRENCY), second.toString());
      assertTrue(second.contains(
          "lookup " + EFFECTIVE_JAVA + " -> Effective Java (catalog lookups in this JVM: 0)"), second.toString());
      assertTrue(second.contains("lookup " + UNKNOWN + " -> unknown (catalog lookups in this JVM: 0)"),
          second.toString());

      // back in the first instance: the other one's eviction is seen, the rest is still cached
      assertEquals("Java Concurrency in Practice", books.find(CONCURRENCY).title());
      assertEquals(4, books.lookups(), "evicted by the second instance, so looked up again");
      books.find(EFFECTIVE_JAVA);
      assertEquals(4, books.lookups());

      // nothing is kept in this JVM: with memcached emptied, the next call reaches the catalog
      for (MemcachedProcess node : cluster.nodes()) {
        assertEquals("OK", node.command("flush_all").trim());
      }
      // a node that lost its membership mark is treated as restarted: marked down, then flushed and
      // readmitted by the next probe (memjcache.retryIntervalMillis); with every node flushed at
      // once, wait for that before the next call
      // (a switch delay, 3.25 s with the defaults, and a probe or two: 20 s leaves room for a loaded machine)
      // first until the provider has noticed (its probe reads the marks once per retry interval),
      // then until it has readmitted every node
      long noticed = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (manager.cluster().isHealthy() && System.nanoTime() < noticed) {
        Thread.sleep(10);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!manager.cluster().isHealthy() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      books.find(EFFECTIVE_JAVA);
      assertEquals(5, books.lookups());
    }
  }

  @SuppressWarnings("unchecked")
  private static Duration expiryForCreation(javax.cache.Cache<?, ?> cache) {
    CompleteConfiguration<?, ?> config = cache.getConfiguration(CompleteConfiguration.class);
    return config.getExpiryPolicyFactory().create().getExpiryForCreation();
  }

  /** Runs the application's command line in a new JVM on this test's class path, returns its output. */
  private static List<String> runSecondInstance(String servers, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.net.preferIPv4Stack=true",
        "-cp", System.getProperty("java.class.path"),
        BookshopApplication.class.getName(),
        // a command-line run: no web server, though this test's class path has one for BookshopHealthTest
        "--spring.main.web-application-type=none",
        "--memjcache.servers=" + servers));
    command.addAll(List.of(args));
    Path log = Files.createTempFile("second-instance", ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("the second instance did not finish within 60 s: " + Files.readString(log));
      }
      String output = Files.readString(log);
      // into the build log with the first instance's, where .ci/run looks for JDK warnings
      System.out.print(output);
      assertEquals(0, process.exitValue(), output);
      return output.lines().toList();
    } finally {
      Files.deleteIfExists(log);
      process.destroyForcibly();
    }
  }
}
