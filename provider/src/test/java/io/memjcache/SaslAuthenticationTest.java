package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.RealMemcached;
import io.memjcache.testkit.SaslUsers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SASL PLAIN against real memcached servers started with {@code -S} and a password database made
 * by the test: the right password serves every key operation, a wrong one is a clear error within
 * seconds, and what needs the text protocol (key listing) fails with an exception saying why.
 */
@RealMemcached
class SaslAuthenticationTest {

  static final String USER = "alice";
  static final String PASSWORD = "correct horse battery staple";

  static SaslUsers users;
  static MemcachedCluster cluster;

  @BeforeAll
  static void start() {
    users = SaslUsers.create(USER, PASSWORD);
    List<String> args = new ArrayList<>(MemcachedCluster.DEFAULT_ARGS);
    args.addAll(SaslUsers.SERVER_ARGS);
    cluster = MemcachedCluster.start(2, args, users.environment());
  }

  @AfterAll
  static void stop() {
    try {
      cluster.close();
    } finally {
      users.close();
    }
  }

  private static Cache<String, String> cache(String uri, String... settings) {
    return Fixtures.manager(cluster, uri, settings).createCache("c", new MutableConfiguration<>());
  }

  @Test
  void theRightPasswordServesGetPutGetAllAndConditionalWrites() {
    Cache<String, String> cache = cache("sasl:ok", "memjcache.username", USER, "memjcache.password", PASSWORD);
    cache.put("a", "1");
    cache.putAll(Map.of("b", "2", "c", "3"));
    assertEquals("1", cache.get("a"));
    assertEquals(Map.of("a", "1", "b", "2", "c", "3"), cache.getAll(Set.of("a", "b", "c", "d")));
    assertTrue(cache.replace("a", "1", "one"));
    assertEquals("one", cache.get("a"));
    assertTrue(cache.remove("b"));
    assertEquals(null, cache.get("b"));
  }

  @Test
  void aPasswordFileWorksLikeThePassword(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("memcached-password");
    Files.writeString(file, PASSWORD + "\n"); // the newline editors add is not part of it
    Cache<String, String> cache = cache("sasl:file", "memjcache.username", USER,
        "memjcache.passwordFile", file.toString());
    cache.put("k", "v");
    assertEquals("v", cache.get("k"));
  }

  @Test
  void aWrongPasswordIsAClearErrorWithinSeconds() {
    long start = System.nanoTime();
    CacheException e = assertThrows(CacheException.class,
        () -> cache("sasl:wrong", "memjcache.username", USER, "memjcache.password", "guess"));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(e.getMessage().contains("SASL user '" + USER + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("memjcache.username"), e.getMessage());
    assertTrue(millis < 5_000, "refused after " + millis + " ms");
  }

  @Test
  void anUnknownUserIsAClearErrorToo() {
    CacheException e = assertThrows(CacheException.class,
        () -> cache("sasl:nobody", "memjcache.username", "mallory", "memjcache.password", PASSWORD));
    assertTrue(e.getMessage().contains("'mallory'"), e.getMessage());
  }

  @Test
  void credentialsForAServerWithoutSaslAreAClearErrorToo() {
    try (MemcachedCluster plain = MemcachedCluster.start(1)) {
      CacheException e = assertThrows(CacheException.class, () -> Fixtures.manager(plain, "sasl:plain",
          "memjcache.username", USER, "memjcache.password", PASSWORD));
      assertTrue(e.getMessage().contains("runs with -S"), e.getMessage());
    }
  }

  @Test
  void listingKeysIsRefusedWithTheReasonNeverHangsOrSilentlyDoesNothing() {
    MemcachedCacheManager manager = Fixtures.manager(cluster, "sasl:listing",
        "memjcache.username", USER, "memjcache.password", PASSWORD);
    Cache<String, String> cache = manager.createCache("c", new MutableConfiguration<>());
    cache.put("k", "v");
    for (Runnable listing : List.<Runnable>of(() -> cache.iterator().forEachRemaining(e -> { }), cache::removeAll,
        () -> manager.destroyCache("c"))) {
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, listing::run);
      assertTrue(e.getMessage().contains("SASL") && e.getMessage().contains("binary protocol"),
          e.getMessage());
    }
    assertEquals("v", cache.get("k"), "nothing was removed");
  }

  /** clear() lists nothing (it moves the cache to a new generation), so it works with SASL too. */
  @Test
  void clearWorksOnAnAuthenticatedCluster() {
    MemcachedCacheManager manager = Fixtures.manager(cluster, "sasl:clear",
        "memjcache.username", USER, "memjcache.password", PASSWORD);
    Cache<String, String> cache = manager.createCache("c", new MutableConfiguration<>());
    cache.put("k", "v");
    cache.clear();
    assertNull(cache.get("k"));
    cache.put("k", "after");
    assertEquals("after", cache.get("k"));
  }
}
