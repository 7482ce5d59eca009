package io.memjcache.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.cluster.ServerAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration file named by the manager URI, in every form the provider is handed one (pure:
 * no server): classpath:, file:, jar:, a bare resource name; unreadable ones and foreign names are
 * errors naming the URI; the namespace is never the file's path.
 */
class ConfigFileTest {

  static final ClassLoader LOADER = ConfigFileTest.class.getClassLoader();

  @TempDir
  Path dir;

  static ManagerSettings resolve(String uri) {
    return Settings.resolve(URI.create(uri), LOADER, new Properties(), new Properties());
  }

  static void assertShop(ManagerSettings s) {
    assertEquals(List.of(ServerAddress.parse("10.0.0.1:11211"), ServerAddress.parse("10.0.0.2:11211")),
        s.cluster().servers());
    assertEquals("shop", s.cluster().namespace());
    assertEquals(1, s.cluster().copies());
    assertEquals(List.of("com.example.Book", "default-update-timestamps-region"), s.caches().declaredNames());
  }

  @Test
  void classpathUriAndBareResourceNameAreReadFromTheClassLoader() {
    assertShop(resolve("classpath:config/shop.properties"));
    assertShop(resolve("classpath:/config/shop.properties"));
    assertShop(resolve("config/shop.properties"));
  }

  @Test
  void fileAndJarUrlsAsSpringAndHibernateHandThemOver() throws IOException {
    Path file = dir.resolve("shop.properties");
    Files.copy(LOADER.getResourceAsStream("config/shop.properties"), file);
    assertShop(resolve(file.toUri().toString()));

    Path jar = dir.resolve("app.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
      j.putNextEntry(new ZipEntry("BOOT-INF/classes/shop.properties"));
      j.write(Files.readAllBytes(file));
    }
    assertShop(resolve("jar:" + jar.toUri() + "!/BOOT-INF/classes/shop.properties"));
  }

  @Test
  void givenPropertiesBeatTheFileWhichBeatsSystemProperties() {
    Properties system = new Properties();
    system.setProperty("memjcache.namespace", "from-system");
    system.setProperty("memjcache.operationTimeoutMillis", "77");
    system.setProperty("memjcache.copies", "3");
    Properties given = new Properties();
    given.setProperty("memjcache.copies", "2");
    ClusterSettings s =
        Settings.resolve(URI.create("classpath:config/shop.properties"), LOADER, given, system).cluster();
    assertEquals("shop", s.namespace(), "file beats system");
    assertEquals(2, s.copies(), "given beats file");
    assertEquals(77, s.operationTimeoutMillis(), "system where the file says nothing");
  }

  @Test
  void anUnreadableFileIsAnErrorNamingIt() {
    for (String uri : List.of("classpath:config/missing.properties", "config/missing.properties",
        dir.resolve("missing.properties").toUri().toString(), dir.toUri().toString(),
        "jar:" + dir.resolve("none.jar").toUri() + "!/x.properties")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve(uri), uri);
      assertTrue(e.getMessage().contains(uri), e.getMessage());
    }
  }

  @Test
  void aPropertiesUrlOfAnotherSchemeIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> resolve("http://config.example/memjcache.properties"));
    assertTrue(e.getMessage().contains("classpath:, file: and jar:"), e.getMessage());
  }

  @Test
  void aNameWithoutTheMemjcachePrefixIsAnErrorNotIgnored() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> resolve("classpath:config/typo.properties"));
    assertTrue(e.getMessage().contains("'servers'"), e.getMessage());
    assertTrue(e.getMessage().contains("config/typo.properties"), e.getMessage());
  }

  @Test
  void aFileMustNameTheNamespaceNeverDefaultingToItsPath() throws IOException {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> resolve("classpath:config/no-namespace.properties"));
    assertTrue(e.getMessage().contains(Settings.NAMESPACE), e.getMessage());

    Properties given = new Properties();
    given.setProperty("memjcache.namespace", "given");
    assertEquals("given", Settings.resolve(URI.create("classpath:config/no-namespace.properties"), LOADER,
        given, new Properties()).cluster().namespace());
  }

  @Test
  void otherUrisNameNoFile() {
    for (String uri : List.of("memjcache:app", "shop", "memcached://10.0.0.1:11211/", "urn:x:y")) {
      ManagerSettings s = resolve(uri);
      assertEquals(List.of(), s.caches().declaredNames(), uri);
    }
  }

  @Test
  void theFileIsReadAsUtf8() throws IOException {
    Path file = dir.resolve("utf8.properties");
    Files.writeString(file, "memjcache.namespace=caf\u00e9\n", StandardCharsets.UTF_8);
    assertEquals("caf\u00e9", resolve(file.toUri().toString()).cluster().namespace());
  }
}
