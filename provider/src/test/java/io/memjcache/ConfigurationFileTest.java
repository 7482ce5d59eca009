package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testkit.MemcachedCluster;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manager configured only by the file its URI names, on a real 2-node cluster: the declared
 * caches exist as soon as it opens, each with its own expiry (the short one expires, the long one
 * hits), patterns reach caches the application creates, and nothing configured means one log line
 * naming {@code memjcache.servers}.
 */
class ConfigurationFileTest {

  static MemcachedCluster cluster;

  @TempDir
  Path dir;

  @BeforeAll
  static void startCluster() {
    cluster = MemcachedCluster.start(2);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  URI file(String... lines) throws IOException {
    Path file = dir.resolve("memjcache.properties");
    List<String> all = new ArrayList<>(List.of("memjcache.servers=" + cluster.servers()));
    all.addAll(List.of(lines));
    Files.write(file, all);
    return file.toUri();
  }

  CacheManager open(URI uri) {
    return cluster.closeFirst(new MemcachedCachingProvider()).getCacheManager(uri, Fixtures.LOADER, null);
  }

  @Test
  void declaredCachesExistAtOnceWithTheirOwnExpiry() throws Exception {
    CacheManager manager = open(file("memjcache.namespace=file-test-1",
        "memjcache.cache.short.expiry=created:1s", "memjcache.cache.long.expiry=eternal"));
    assertEquals(Set.of("short", "long"), Set.copyOf(toList(manager.getCacheNames())));
    Cache<Object, Object> shortLived = manager.getCache("short");
    Cache<Object, Object> longLived = manager.getCache("long");
    assertEquals(new CreatedExpiryPolicy(new Duration(java.util.concurrent.TimeUnit.SECONDS, 1)), expiryOf(shortLived));
    assertEquals(new EternalExpiryPolicy(), expiryOf(longLived));

    shortLived.put("k", "v");
    longLived.put("k", "v");
    assertEquals("v", shortLived.get("k"));
    Thread.sleep(1300);
    assertNull(shortLived.get("k"), "created:1s has expired");
    assertEquals("v", longLived.get("k"), "eternal still hits");
  }

  @Test
  void patternsApplyToCachesTheApplicationCreates() throws Exception {
    CacheManager manager = open(file("memjcache.namespace=file-test-2",
        "memjcache.cache.users-*.statistics=true", "memjcache.cache.users-*.expiry=created:1s"));
    assertFalse(manager.getCacheNames().iterator().hasNext(), "a pattern declares no cache");
    Cache<String, String> users = manager.createCache("users-eu", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class).setExpiryPolicyFactory(EternalExpiryPolicy.factoryOf()));
    Cache<String, String> orders = manager.createCache("orders", new MutableConfiguration<>());
    assertTrue(configOf(users).isStatisticsEnabled());
    assertFalse(configOf(orders).isStatisticsEnabled());
    assertEquals(new CreatedExpiryPolicy(new Duration(java.util.concurrent.TimeUnit.SECONDS, 1)), expiryOf(users), "the file beats the code");
    assertEquals(String.class, configOf(users).getKeyType(), "what the file does not say stays");
  }

  @Test
  void entriesAreSharedByNamespaceWhateverThePathOfTheFile() throws Exception {
    URI first = file("memjcache.namespace=file-test-3", "memjcache.cache.c.expiry=eternal");
    Path elsewhere = Files.createDirectory(dir.resolve("elsewhere")).resolve("other-name.properties");
    Files.copy(Path.of(first), elsewhere);
    open(first).getCache("c").put("k", "shared");
    assertEquals("shared", open(elsewhere.toUri()).getCache("c").get("k"));
  }

  @Test
  void usingTheDefaultServerIsLoggedOnceNamingTheSetting() {
    List<LogRecord> records = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger log = Logger.getLogger(MemcachedCachingProvider.class.getName());
    log.addHandler(handler);
    try (MemcachedCachingProvider provider = new MemcachedCachingProvider()) {
      provider.getCacheManager(URI.create("memjcache:unconfigured-1"), Fixtures.LOADER, new Properties());
      provider.getCacheManager(URI.create("memjcache:unconfigured-2"), Fixtures.LOADER, new Properties());
      Properties named = new Properties();
      named.setProperty("memjcache.servers", cluster.servers());
      provider.getCacheManager(URI.create("memjcache:configured"), Fixtures.LOADER, named);
    } finally {
      log.removeHandler(handler);
    }
    assertEquals(1, records.size(), "logged once");
    assertEquals(Level.WARNING, records.get(0).getLevel());
    assertTrue(records.get(0).getMessage().contains("memjcache.servers"), records.get(0).getMessage());
    assertTrue(records.get(0).getMessage().contains("127.0.0.1:11211"), records.get(0).getMessage());
  }

  @Test
  void aFileThatCannotBeReadIsAnErrorAtGetCacheManager() {
    URI missing = dir.resolve("missing.properties").toUri();
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> open(missing));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  static CompleteConfiguration<?, ?> configOf(Cache<?, ?> cache) {
    return cache.getConfiguration(CompleteConfiguration.class);
  }

  static Object expiryOf(Cache<?, ?> cache) {
    assertNotNull(cache);
    return configOf(cache).getExpiryPolicyFactory().create();
  }

  static List<String> toList(Iterable<String> names) {
    List<String> list = new ArrayList<>();
    names.forEach(list::add);
    return list;
  }
}
