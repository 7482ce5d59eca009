package io.memjcache.samples.hibernate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.RealMemcached;
import io.memjcache.testkit.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.stat.CacheRegionStatistics;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hibernate configured only by {@code hibernate.javax.cache.uri}: the file it names sets the
 * servers, the namespace and a different expiry for two regions (found by Hibernate's region
 * names). Right after its 1 s, the short-lived region misses and the eternal one still hits.
 */
@RealMemcached
class ConfigurationFileTest {

  static final String AUTHORS = Author.class.getName();
  static final String BOOKS = Book.class.getName();

  @TempDir
  Path dir;

  @Test
  void twoRegionsWithTheirOwnExpiryFromTheFileTheUriNames() throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(2)) {
      Path file = dir.resolve("memjcache.properties");
      Files.write(file, List.of("memjcache.servers=" + cluster.servers(), "memjcache.namespace=library",
          "memjcache.allowedClasses=" + Library.CACHED_CLASSES,
          "memjcache.cache." + BOOKS + ".expiry=created:1s", "memjcache.cache." + AUTHORS + ".expiry=eternal",
          "memjcache.cache.default-update-timestamps-region.expiry=eternal"));
      try (Library library = new Library(Map.of("hibernate.javax.cache.uri", file.toUri().toString(),
          "jakarta.persistence.jdbc.url", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"))) {
        Author author = new Author("Italo Calvino").wrote("Invisible Cities", 1972);
        long authorId = library.add(author);
        long cached = System.currentTimeMillis(); // add commits, and so caches, before this
        long bookId = author.getBooks().get(0).getId();
        Statistics stats = library.sessionFactory().getStatistics();
        Waits.past(cached + 1_000);
        stats.clear();
        library.sessionFactory().inTransaction(session -> {
          session.find(Author.class, authorId);
          session.find(Book.class, bookId);
        });
        CacheRegionStatistics authors = stats.getDomainDataRegionStatistics(AUTHORS);
        CacheRegionStatistics books = stats.getDomainDataRegionStatistics(BOOKS);
        assertEquals(1, authors.getHitCount(), "eternal: still in memcached");
        assertEquals(0, books.getHitCount(), "created:1s: expired");
        assertEquals(1, books.getMissCount());
      }
    }
  }
}
