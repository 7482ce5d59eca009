package io.memjcache.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.MemcachedCache;
import io.memjcache.MemcachedCacheManager;
import io.memjcache.testkit.MemcachedClusterExtension;
import io.memjcache.testkit.RealMemcached;
import io.memjcache.testkit.Waits;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring Boot 4 applications on a real 2-node cluster, configured without a bean of their own:
 * one only by {@code memjcache.*} properties, one only by the file {@code spring.cache.jcache.config}
 * names. In both, the declared {@code books} cache holds {@code @Cacheable} results for its
 * configured 1 s, on the configured servers and namespace.
 */
@RealMemcached
class AutoConfigurationTest {

  @RegisterExtension
  static final MemcachedClusterExtension nodes = new MemcachedClusterExtension(2);

  @TempDir
  Path dir;

  static ConfigurableApplicationContext run(String... properties) {
    return new SpringApplicationBuilder(LibraryApplication.class).web(WebApplicationType.NONE)
        .properties("spring.cache.type=jcache").properties(properties).run();
  }

  static void assertCachedForOneSecond(ConfigurableApplicationContext context) {
    Library library = context.getBean(Library.class);
    assertEquals("title of 1", library.title("1"));
    long cached = System.currentTimeMillis(); // the provider took the creation time before this
    assertEquals("title of 1", library.title("1"));
    assertEquals(1, library.calls(), "the second call is answered from memcached");
    Waits.past(cached + 1_000);
    library.title("1");
    assertEquals(2, library.calls(), "created:1s expired the entry");
  }

  static MemcachedCacheManager manager(ConfigurableApplicationContext context) {
    return context.getBean(CacheManager.class).unwrap(MemcachedCacheManager.class);
  }

  @Test
  void applicationPropertiesAloneReachTheManager() throws Exception {
    try (ConfigurableApplicationContext context = run("memjcache.servers=" + nodes.cluster().servers(),
        "memjcache.namespace=boot-props", "memjcache.copies=1", "memjcache.cache.books.expiry=created:1s")) {
      MemcachedCacheManager manager = manager(context);
      assertEquals(nodes.cluster().servers(), String.join(",", manager.cluster().getNodeStates().keySet()));
      assertEquals("boot-props", manager.getProperties().getProperty("memjcache.namespace"));
      @SuppressWarnings("unchecked") // unwrap takes a class literal, which cannot be generic
      MemcachedCache<Object, Object> books = manager.getCache("books").unwrap(MemcachedCache.class);
      assertEquals(1, manager.cluster().replicasOf(books.memcachedKeyOf("any")).size(), "copies=1");
      assertCachedForOneSecond(context);
    }
  }

  @Test
  @SuppressWarnings("unchecked") // getConfiguration takes a class literal, which cannot be generic
  void theFileNamedBySpringCacheJcacheConfigConfiguresTheManager() throws Exception {
    Path file = dir.resolve("memjcache.properties");
    Files.write(file, List.of("memjcache.servers=" + nodes.cluster().servers(), "memjcache.namespace=boot-file",
        "memjcache.cache.books.expiry=created:1s", "memjcache.cache.books.statistics=true"));
    try (ConfigurableApplicationContext context =
        run("spring.cache.jcache.config=" + file.toUri())) {
      MemcachedCacheManager manager = manager(context);
      assertEquals(URI.create(file.toUri().toString()), manager.getURI());
      assertCachedForOneSecond(context);
      assertTrue(manager.getCache("books").getConfiguration(CompleteConfiguration.class).isStatisticsEnabled());
    }
  }

  @Test
  void yamlBracketNamesBecomeTheProvidersNames() {
    assertEquals("memjcache.cache.users-*.expiry",
        EnvironmentSettings.unbracketed("memjcache.cache[users-*].expiry"));
    assertEquals("memjcache.cache.a.b.expiry", EnvironmentSettings.unbracketed("memjcache.cache.[a.b].expiry"));
  }
}
