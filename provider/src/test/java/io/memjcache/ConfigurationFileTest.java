package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.cluster.ServerAddress;
import io.memjcache.config.ManagerSettings;
import io.memjcache.config.Settings;
import io.memjcache.logging.JulRecords;
import io.memjcache.testkit.MemcachedClusterExtension;
import io.memjcache.testkit.RealMemcached;
import io.memjcache.testkit.Waits;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manager configured only by the file its URI names, on a real 2-node cluster: the declared
 * caches exist as soon as it opens, each with its own expiry (the short one expires, the long one
 * hits), patterns reach caches the application creates, and nothing configured means one log line
 * naming {@code memjcache.servers} and the default server, checked without connecting to it.
 */
@RealMemcached
class ConfigurationFileTest {

  @RegisterExtension
  static final MemcachedClusterExtension nodes = new MemcachedClusterExtension(2);

  @TempDir
  Path dir;

  URI file(String... lines) throws IOException {
    Path file = dir.resolve("memjcache.properties");
    List<String> all = new ArrayList<>(List.of("memjcache.servers=" + nodes.cluster().servers()));
    all.addAll(List.of(lines));
    Files.write(file, all);
    return file.toUri();
  }

  CacheManager open(URI uri) {
    return nodes.cluster().closeFirst(new MemcachedCachingProvider()).getCacheManager(uri, Fixtures.LOADER, null);
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
    long written = System.currentTimeMillis(); // the provider took the creation time before this
    longLived.put("k", "v");
    assertEquals("v", shortLived.get("k"));
    Waits.past(written + 1_000);
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

  /**
   * Stops {@code getCacheManager} at its warning: past it, the provider would connect to the
   * default server, and a test must not touch a memcached a developer may run on 127.0.0.1:11211.
   */
  @Test
  void usingTheDefaultServerIsLoggedBeforeConnectingNamingTheSettingAndTheServer() {
    IllegalStateException stop = new IllegalStateException("stopped at the warning");
    try (JulRecords log = new JulRecords(MemcachedCachingProvider.class.getName(), Level.INFO)
            .thenThrowing(stop);
        MemcachedCachingProvider provider = new MemcachedCachingProvider()) {
      assertSame(stop, assertThrows(IllegalStateException.class, () -> provider.getCacheManager(
          URI.create("memjcache:unconfigured"), Fixtures.LOADER, new Properties())));
      assertEquals(1, log.records.size());
      LogRecord warning = log.records.get(0);
      assertEquals(Level.WARNING, warning.getLevel());
      assertTrue(warning.getMessage().contains("memjcache.servers"), warning.getMessage());
      assertTrue(warning.getMessage().contains("127.0.0.1:11211"), warning.getMessage());
    }
  }

  /**
   * Calls the provider's notice directly: through {@code getCacheManager}, a second manager on the
   * default server would connect to it.
   */
  @Test
  void theDefaultServerIsLoggedOncePerProviderAndNotForNamedServers() throws Exception {
    ManagerSettings defaulted = settings(new Properties());
    Properties servers = new Properties();
    servers.setProperty("memjcache.servers", nodes.cluster().servers());
    ManagerSettings named = settings(servers);
    assertEquals(List.of(ServerAddress.parse("127.0.0.1:11211")), defaulted.cluster().servers());
    try (JulRecords log = new JulRecords(MemcachedCachingProvider.class.getName(), Level.INFO);
        MemcachedCachingProvider provider = new MemcachedCachingProvider()) {
      provider.logDefaultServers(named);
      assertEquals(List.of(), log.records, "named servers are not logged");
      provider.logDefaultServers(defaulted);
      provider.logDefaultServers(defaulted);
      assertEquals(1, log.records.size(), "logged once");
    }
  }

  @Test
  void aFileThatCannotBeReadIsAnErrorAtGetCacheManager() {
    URI missing = dir.resolve("missing.properties").toUri();
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class, () -> open(missing));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  /** The settings of an unconfigured manager (no system properties), given {@code given}. */
  static ManagerSettings settings(Properties given) {
    return Settings.resolve(URI.create("memjcache:unconfigured"), Fixtures.LOADER, given, new Properties());
  }

  @SuppressWarnings("unchecked") // getConfiguration takes a class literal, which cannot be generic
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
