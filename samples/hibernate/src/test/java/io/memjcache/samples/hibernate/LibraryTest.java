package io.memjcache.samples.hibernate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memjcache.MemcachedCache;
import io.memjcache.MemcachedCacheManager;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.cache.jcache.internal.JCacheRegionFactory;
import org.hibernate.cache.spi.access.EntityDataAccess;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@RealMemcached
class LibraryTest {

  static final String BOOKS_ROLE = Author.class.getName() + ".books";

  @AfterEach
  void clearServers() {
    System.clearProperty("memjcache.servers");
  }

  @Test
  void aSecondSessionIsServedFromMemcachedAlsoAfterTheEntrysPrimaryNodeIsKilled() throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(3)) {
      System.setProperty("memjcache.servers", cluster.servers());
      try (Library library = new Library(
          Map.of("jakarta.persistence.jdbc.url", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"))) {
        Statistics stats = library.sessionFactory().getStatistics();
        long id = library.add(new Author("Ursula K. Le Guin")
            .wrote("A Wizard of Earthsea", 1968)
            .wrote("The Left Hand of Darkness", 1969)
            .wrote("The Dispossessed", 1974));
        library.sessionFactory().getCache().evictAllRegions();
        Library.Shelf shelf = new Library.Shelf("Ursula K. Le Guin",
            List.of("A Wizard of Earthsea", "The Left Hand of Darkness", "The Dispossessed"));
        List<String> since1969 = List.of("The Left Hand of Darkness", "The Dispossessed");

        // session 1: the database answers, the results go to memcached
        stats.clear();
        assertEquals(shelf, library.shelf(id));
        assertEquals(since1969, library.booksPublishedSince(1969));
        assertEquals(0, stats.getSecondLevelCacheHitCount());
        assertEquals(3, stats.getPrepareStatementCount(), "author, books collection, query");
        assertEquals(1, stats.getQueryCachePutCount());

        // session 2: everything comes from memcached, no SQL at all
        stats.clear();
        assertEquals(shelf, library.shelf(id));
        assertEquals(since1969, library.booksPublishedSince(1969));
        assertServedFromCache(stats);

        // the author's entry is on two nodes: kill its primary (SIGKILL, no goodbye)
        MemcachedCacheManager manager = ((JCacheRegionFactory) library.sessionFactory()
            .unwrap(SessionFactoryImplementor.class).getCache().getRegionFactory())
            .getCacheManager().unwrap(MemcachedCacheManager.class);
        String key = memcachedKeyOfAuthor(library, manager, id);
        MemcachedProcess primary = cluster.nodeAt(manager.cluster().primaryOf(key));
        assertEquals("HD", primary.command("mg " + key).trim(), "the primary holds the author");
        primary.kill();

        // session 3: still all from memcached (the backups), still no SQL
        stats.clear();
        assertEquals(shelf, library.shelf(id));
        assertEquals(since1969, library.booksPublishedSince(1969));
        assertServedFromCache(stats);
        // its dropped connection made it suspected; its refused port, found by the next probe a few
        // milliseconds later, is the evidence that takes it down, so that writes go to a stand-in
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (!"DOWN".equals(manager.cluster().getNodeStates().get(primary.address()))
            && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertEquals("DOWN", manager.cluster().getNodeStates().get(primary.address()));

        // a write with the node still dead: the cached book is updated, the cached query invalidated
        long leftHand = library.sessionFactory().fromTransaction(s -> s
            .createSelectionQuery("select id from Book where title = 'The Left Hand of Darkness'", Long.class)
            .getSingleResult());
        library.rename(leftHand, "The Left Hand of Darkness (50th anniversary)");
        stats.clear();
        assertEquals(List.of("A Wizard of Earthsea", "The Left Hand of Darkness (50th anniversary)",
            "The Dispossessed"), library.shelf(id).titles());
        assertEquals(0, stats.getPrepareStatementCount(), "the renamed book comes from the cache");
        assertEquals(List.of("The Left Hand of Darkness (50th anniversary)", "The Dispossessed"),
            library.booksPublishedSince(1969));
        assertEquals(0, stats.getQueryCacheHitCount(), "the Book table changed: the cached result is stale");
        assertEquals(1, stats.getPrepareStatementCount(), "so the query runs again");
      }
    }
  }

  /** 1 author + 1 collection + 3 books from the second-level cache, 1 query result, 0 SQL. */
  private static void assertServedFromCache(Statistics stats) {
    assertEquals(0, stats.getPrepareStatementCount(), "no SQL");
    assertEquals(0, stats.getSecondLevelCacheMissCount());
    assertEquals(1, stats.getEntityStatistics(Author.class.getName()).getCacheHitCount());
    assertEquals(1, stats.getCollectionStatistics(BOOKS_ROLE).getCacheHitCount());
    assertEquals(3, stats.getEntityStatistics(Book.class.getName()).getCacheHitCount());
    assertEquals(5, stats.getSecondLevelCacheHitCount());
    assertEquals(1, stats.getQueryCacheHitCount());
  }

  /** The memcached key under which Hibernate's cache entry for the author is stored. */
  private static String memcachedKeyOfAuthor(Library library, MemcachedCacheManager manager, long id) {
    SessionFactoryImplementor factory = library.sessionFactory().unwrap(SessionFactoryImplementor.class);
    EntityPersister persister = factory.getMappingMetamodel().getEntityDescriptor(Author.class);
    EntityDataAccess access = persister.getCacheAccessStrategy();
    Object cacheKey = access.generateCacheKey(id, persister, factory, null);
    String region = access.getRegion().getName();
    @SuppressWarnings("unchecked")
    MemcachedCache<Object, Object> cache = manager.getCache(region).unwrap(MemcachedCache.class);
    return cache.memcachedKeyOf(cacheKey);
  }
}
