package io.memjcache.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.cluster.ServerAddress;
import java.net.URI;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * How a manager's settings are resolved (pure: no server, no real system properties). Precedence,
 * highest first: the Properties given to getCacheManager, the query of a memcached:// URI, JVM
 * system properties, the defaults. Every malformed value or unknown name is an
 * IllegalArgumentException naming the setting.
 */
class SettingsResolutionTest {

  static final URI PLAIN = URI.create("memjcache:app");

  @Test
  void defaultsAreOneLocalServerTwoCopiesAndTheUriAsNamespace() {
    ClusterSettings s = Settings.resolve(PLAIN, new Properties(), new Properties());
    assertEquals(List.of(new ServerAddress("127.0.0.1", 11211, 1)), s.servers());
    assertEquals(List.of(), s.backupServers());
    assertEquals(2, s.copies());
    assertEquals(500, s.operationTimeoutMillis());
    assertEquals(1000, s.retryIntervalMillis());
    assertEquals("memjcache:app", s.namespace());
  }

  @Test
  void nullPropertiesMeanNone() {
    assertEquals(Settings.resolve(PLAIN, new Properties(), new Properties()), Settings.resolve(PLAIN, null, null));
  }

  @Test
  void givenPropertiesBeatSystemPropertiesWhichBeatDefaults() {
    Properties system = props("memjcache.servers", "10.0.0.9:11300", "memjcache.copies", "3",
        "memjcache.operationTimeoutMillis", "250");
    Properties given = props("memjcache.servers", "10.0.0.1:11211,10.0.0.2:11211", "memjcache.copies", "1");
    ClusterSettings s = Settings.resolve(PLAIN, given, system);
    assertEquals(List.of(ServerAddress.parse("10.0.0.1"), ServerAddress.parse("10.0.0.2")), s.servers());
    assertEquals(1, s.copies(), "given beats system");
    assertEquals(250, s.operationTimeoutMillis(), "system beats default");
    assertEquals(1000, s.retryIntervalMillis(), "default when nobody says");

    ClusterSettings fromSystem = Settings.resolve(PLAIN, new Properties(), system);
    assertEquals(List.of(new ServerAddress("10.0.0.9", 11300, 1)), fromSystem.servers());
    assertEquals(3, fromSystem.copies());
  }

  @Test
  void memcachedUriNamesItsServersAndItsQueryBeatsSystemButNotGivenProperties() {
    URI uri = URI.create("memcached://10.0.0.1:11311,10.0.0.2:11312/"
        + "?copies=3&memjcache.retryIntervalMillis=40&operationTimeoutMillis=70&namespace=shop%20eu");
    Properties system = props("memjcache.copies", "5", "memjcache.retryIntervalMillis", "99",
        "memjcache.operationTimeoutMillis", "99", "memjcache.backupServers", "10.0.0.8:11211");
    Properties given = props("memjcache.operationTimeoutMillis", "900");

    ClusterSettings s = Settings.resolve(uri, given, system);
    assertEquals(List.of(new ServerAddress("10.0.0.1", 11311, 1), new ServerAddress("10.0.0.2", 11312, 1)),
        s.servers(), "the authority names the servers");
    assertEquals(3, s.copies(), "URI query (short name) beats system");
    assertEquals(40, s.retryIntervalMillis(), "URI query (full name) beats system");
    assertEquals(900, s.operationTimeoutMillis(), "given Properties beat the URI query");
    assertEquals("shop eu", s.namespace(), "query values are URL-decoded");
    assertEquals(List.of(new ServerAddress("10.0.0.8", 11211, 1)), s.backupServers(),
        "what neither the properties nor the URI say comes from the system");
  }

  @Test
  void namespaceDefaultsToTheUriAndCanBeSetExplicitly() {
    URI uri = URI.create("memjcache:orders?region=eu");
    assertEquals("memjcache:orders?region=eu", Settings.resolve(uri, null, null).namespace());
    assertEquals("tenant-4", Settings.resolve(uri, props("memjcache.namespace", "tenant-4"), null).namespace());
  }

  @Test
  void serversParseHostPortAndWeightWithDefaultsAndSpaces() {
    ClusterSettings s = Settings.resolve(PLAIN,
        props("memjcache.servers", " cache-a , cache-b:11300 ,cache-c:11400:3,,10.1.2.3:1:65535 "), null);
    assertEquals(List.of(new ServerAddress("cache-a", 11211, 1), new ServerAddress("cache-b", 11300, 1),
        new ServerAddress("cache-c", 11400, 3), new ServerAddress("10.1.2.3", 1, 65535)), s.servers());
    assertEquals("cache-c:11400", s.servers().get(2).toString(), "the weight is not part of the name");
  }

  @Test
  void aBadPortIsAnErrorNamingTheSetting() {
    for (String bad : List.of("h:abc", "h:0", "h:65536", "h:-1", "h:11211x", "h: 1 1")) {
      assertRejected(props("memjcache.servers", "ok:11211," + bad), "memjcache.servers", bad);
    }
    assertRejected(props("memjcache.backupServers", "b:nope", "memjcache.copies", "2"),
        "memjcache.backupServers", "b:nope");
  }

  @Test
  void anEmptyPortOrWeightIsRejectedNotDefaulted() {
    // "h:" is a malformed entry (a port was meant and is missing), not "h" on the default port
    assertRejected(props("memjcache.servers", "h:"), "memjcache.servers", "h:");
    assertRejected(props("memjcache.servers", "h:11211:"), "memjcache.servers", "h:11211:");
  }

  @Test
  void aBadWeightOrShapeIsAnErrorNamingTheSetting() {
    for (String bad : List.of("h:1:0", "h:1:-2", "h:1:heavy", "h:1:2:3", ":11211", " :1")) {
      assertRejected(props("memjcache.servers", bad), "memjcache.servers", null);
    }
  }

  @Test
  void anUnknownSettingIsAnErrorNamingIt() {
    assertRejected(props("memjcache.foo", "1"), "memjcache.foo", null);
    assertRejected(props("memjcache.server", "h:1"), "memjcache.server", null); // a typo of servers
    Exception fromSystem = assertThrows(IllegalArgumentException.class,
        () -> Settings.resolve(PLAIN, null, props("memjcache.copeis", "1")));
    assertTrue(fromSystem.getMessage().contains("memjcache.copeis"), fromSystem.getMessage());
    Exception fromQuery = assertThrows(IllegalArgumentException.class,
        () -> Settings.resolve(URI.create("memcached://h:1/?coppies=2"), null, null));
    assertTrue(fromQuery.getMessage().contains("memjcache.coppies"), fromQuery.getMessage());
  }

  @Test
  void allowedClassesComeFromPropertiesQueryOrSystemAndAMalformedPatternIsAnError() {
    assertEquals("", Settings.resolve(PLAIN, null, null).allowedClasses());
    assertEquals("com.a.*", Settings.resolve(PLAIN, null, props("memjcache.allowedClasses", "com.a.*")).allowedClasses());
    assertEquals("com.b.**", Settings.resolve(URI.create("memcached://h:1/?allowedClasses=com.b.**"), null,
        props("memjcache.allowedClasses", "com.a.*")).allowedClasses());
    assertEquals("com.c.C", Settings.resolve(PLAIN, props("memjcache.allowedClasses", "com.c.C"),
        props("memjcache.allowedClasses", "com.a.*")).allowedClasses());
    assertRejected(props("memjcache.allowedClasses", "com.a.*.B"), "memjcache.allowedClasses", "com.a.*.B");
  }

  @Test
  void settingsOfOtherLibrariesAreIgnored() {
    ClusterSettings s = Settings.resolve(PLAIN, props("hibernate.cache.foo", "x", "memjcache", "y"),
        props("java.home", "/somewhere"));
    assertEquals(2, s.copies());
  }

  @Test
  void nonNumericOrOutOfRangeNumbersAreErrorsNamingTheSetting() {
    assertRejected(props("memjcache.operationTimeoutMillis", "fast"), "memjcache.operationTimeoutMillis", "fast");
    assertRejected(props("memjcache.operationTimeoutMillis", "1.5"), "memjcache.operationTimeoutMillis", null);
    assertRejected(props("memjcache.operationTimeoutMillis", "0"), "memjcache.operationTimeoutMillis", null);
    assertRejected(props("memjcache.operationTimeoutMillis", "-5"), "memjcache.operationTimeoutMillis", null);
    assertRejected(props("memjcache.retryIntervalMillis", "soon"), "memjcache.retryIntervalMillis", null);
    assertRejected(props("memjcache.retryIntervalMillis", "0"), "memjcache.retryIntervalMillis", null);
    assertRejected(props("memjcache.failureThreshold", "0"), "memjcache.failureThreshold", null);
    assertRejected(props("memjcache.failureThreshold", "101"), "memjcache.failureThreshold", null);
    assertEquals(3, Settings.resolve(PLAIN, props("memjcache.failureThreshold", "3"), null).failureThreshold());
    assertRejected(props("memjcache.copies", "two"), "memjcache.copies", null);
    assertRejected(props("memjcache.copies", "0"), "memjcache.copies", null);
    assertEquals(750, Settings.resolve(PLAIN, props("memjcache.operationTimeoutMillis", " 750 "), null)
        .operationTimeoutMillis(), "surrounding spaces are fine");
  }

  @Test
  void copiesBeyondTheIntRangeAreRejectedNotTruncated() {
    // 2^32 + 1 would silently become 1 copy (no backups) if the long were cast to int
    assertRejected(props("memjcache.copies", "4294967297"), "memjcache.copies", null);
  }

  @Test
  void aDuplicateServerIsAnErrorNamingTheSetting() {
    assertRejected(props("memjcache.servers", "10.0.0.1:11211,10.0.0.2:11211,10.0.0.1:11211"),
        "memjcache.servers", "10.0.0.1:11211");
    assertRejected(props("memjcache.servers", "h:11211,h"), "memjcache.servers", null);
    assertRejected(props("memjcache.servers", "h:11211:1,h:11211:5"), "memjcache.servers", null);
    assertRejected(props("memjcache.servers", "a:1,b:2", "memjcache.backupServers", "b:2"),
        "memjcache.backupServers", null);
  }

  @Test
  void anEmptyServerListIsAnErrorNamingTheSetting() {
    for (String empty : List.of("", "   ", ",", " , ,")) {
      assertRejected(props("memjcache.servers", empty), "memjcache.servers", null);
    }
    Exception noAuthority = assertThrows(IllegalArgumentException.class,
        () -> Settings.resolve(URI.create("memcached:///"), null, null));
    assertTrue(noAuthority.getMessage().contains("memjcache.servers"), noAuthority.getMessage());
  }

  @Test
  void aBackupPoolNeedsAtLeastTwoCopies() {
    assertRejected(props("memjcache.backupServers", "b:1", "memjcache.copies", "1"), "memjcache.backupServers", null);
    ClusterSettings s = Settings.resolve(PLAIN, props("memjcache.servers", "a:1,a:2", "memjcache.backupServers", "b:1"), null);
    assertEquals(List.of(new ServerAddress("b", 1, 1)), s.backupServers());
  }

  @Test
  void aMalformedUriQueryIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> Settings.resolve(URI.create("memcached://h:1/?copies"), null, null));
    assertThrows(IllegalArgumentException.class, () -> Settings.resolve(URI.create("memcached://h:1/?=2"), null, null));
  }

  @Test
  void theNamespaceDoesNotChangeWhichConnectionsAreShared() {
    ClusterSettings a = Settings.resolve(URI.create("memjcache:a"), props("memjcache.servers", "h:1"), null);
    ClusterSettings b = Settings.resolve(URI.create("memjcache:b"), props("memjcache.servers", "h:1"), null);
    assertEquals(a.connectionKey(), b.connectionKey());
    ClusterSettings c = Settings.resolve(URI.create("memjcache:b"), props("memjcache.servers", "h:1", "memjcache.copies", "1"), null);
    assertTrue(!a.connectionKey().equals(c.connectionKey()), "other copies: other connections");
  }

  // ------------------------------------------------------------------ helpers

  private static Properties props(String... nameValue) {
    Properties p = new Properties();
    for (int i = 0; i < nameValue.length; i += 2) {
      p.setProperty(nameValue[i], nameValue[i + 1]);
    }
    return p;
  }

  /** Resolving must fail with an IllegalArgumentException naming {@code setting} (and {@code value}). */
  private static void assertRejected(Properties given, String setting, String value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Settings.resolve(PLAIN, given, new Properties()), "should reject " + given);
    assertTrue(e.getMessage().contains(setting), "message names " + setting + ": " + e.getMessage());
    if (value != null) {
      assertTrue(e.getMessage().contains(value.trim()), "message shows '" + value + "': " + e.getMessage());
    }
  }
}
