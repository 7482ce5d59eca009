package io.memjcache.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.MemcachedCacheManager;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring's {@code @Cacheable} while every memcached node is down: by default the call fails; with
 * {@code memjcache.whenUnreachable=miss} the method runs and its result is returned, uncached.
 */
@RealMemcached
class UnreachableClusterTest {

  static ConfigurableApplicationContext run(MemcachedCluster cluster, String... more) {
    return new SpringApplicationBuilder(LibraryApplication.class).web(WebApplicationType.NONE)
        .properties("spring.cache.type=jcache", "memjcache.servers=" + cluster.servers(),
            "memjcache.namespace=boot-unreachable", "memjcache.cache.books.expiry=eternal")
        .properties(more).run();
  }

  /** Waits (10 s at most) until every node serves: the test kills them from a known state. */
  static MemcachedCacheManager healthy(ConfigurableApplicationContext context) throws InterruptedException {
    MemcachedCacheManager manager = context.getBean(CacheManager.class).unwrap(MemcachedCacheManager.class);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!manager.cluster().isHealthy() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    return manager;
  }

  @Test
  void cacheableFailsByDefault() throws InterruptedException {
    try (MemcachedCluster cluster = MemcachedCluster.start(2);
        ConfigurableApplicationContext context = run(cluster)) {
      healthy(context);
      Library library = context.getBean(Library.class);
      library.title("1");
      cluster.nodes().forEach(MemcachedProcess::kill);
      assertThrows(CacheException.class, () -> library.title("1"));
    }
  }

  @Test
  void cacheableRunsTheMethodWhenUnreachableIsMiss() throws InterruptedException {
    try (MemcachedCluster cluster = MemcachedCluster.start(2);
        ConfigurableApplicationContext context = run(cluster, "memjcache.whenUnreachable=miss")) {
      MemcachedCacheManager manager = healthy(context);
      Library library = context.getBean(Library.class);
      library.title("1");
      library.title("1");
      assertEquals(1, library.calls());
      cluster.nodes().forEach(MemcachedProcess::kill);
      assertEquals("title of 1", library.title("1"));
      assertEquals("title of 1", library.title("1"));
      assertEquals(3, library.calls(), "every call runs the method while nothing is cached");
      assertTrue(manager.unreachableMisses() >= 2 && manager.droppedWrites() >= 2,
          manager.unreachableMisses() + " misses, " + manager.droppedWrites() + " dropped");
    }
  }
}
