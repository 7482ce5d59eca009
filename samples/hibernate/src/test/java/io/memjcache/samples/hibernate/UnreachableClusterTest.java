package io.memjcache.samples.hibernate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hibernate persisting while every memcached node is down: by default the transaction fails (the
 * second-level cache write throws); with {@code memjcache.whenUnreachable=miss} the rows are
 * committed and read back from the database.
 */
@RealMemcached
class UnreachableClusterTest {

  @TempDir
  Path dir;

  Library library(MemcachedCluster cluster, String... settings) throws Exception {
    Path file = dir.resolve(UUID.randomUUID() + ".properties");
    List<String> lines = new java.util.ArrayList<>(List.of("memjcache.servers=" + cluster.servers(),
        "memjcache.namespace=library-" + UUID.randomUUID(), "memjcache.retryIntervalMillis=100",
        "memjcache.allowedClasses=" + Library.CACHED_CLASSES));
    lines.addAll(List.of(settings));
    Files.write(file, lines);
    return new Library(Map.of("hibernate.javax.cache.uri", file.toUri().toString(),
        "jakarta.persistence.jdbc.url", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
  }

  @Test
  void persistFailsByDefault() throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(2); Library library = library(cluster)) {
      cluster.nodes().forEach(MemcachedProcess::kill);
      assertThrows(RuntimeException.class,
          () -> library.add(new Author("Stanislaw Lem").wrote("Solaris", 1961)));
    }
  }

  @Test
  void persistSucceedsWhenUnreachableIsMiss() throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(2);
        Library library = library(cluster, "memjcache.whenUnreachable=miss")) {
      cluster.nodes().forEach(MemcachedProcess::kill);
      long id = library.add(new Author("Stanislaw Lem").wrote("Solaris", 1961).wrote("Fiasco", 1986));
      assertEquals(new Library.Shelf("Stanislaw Lem", List.of("Solaris", "Fiasco")), library.shelf(id));
      assertEquals(List.of("Fiasco"), library.booksPublishedSince(1980));
    }
  }
}
