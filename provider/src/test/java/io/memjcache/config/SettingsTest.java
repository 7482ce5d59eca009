package io.memjcache.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.cluster.ServerAddress;
import java.net.URI;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsTest {

  private static Properties props(String... pairs) {
    Properties p = new Properties();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      p.setProperty(pairs[i], pairs[i + 1]);
    }
    return p;
  }

  private static ClusterSettings resolve(String uri, Properties given, Properties system) {
    return Settings.resolve(URI.create(uri), given, system);
  }

  @Test
  void defaultsAreLocalhostTwoCopiesAndShortTimeouts() {
    ClusterSettings s = resolve("memjcache:default", props(), props());
    assertEquals(List.of(new ServerAddress("127.0.0.1", 11211, 1)), s.servers());
    assertEquals(2, s.copies());
    assertEquals(500, s.operationTimeoutMillis());
    assertEquals(1000, s.retryIntervalMillis());
    assertEquals(1, s.failureThreshold());
    assertEquals("memjcache:default", s.namespace());
    assertTrue(s.backupServers().isEmpty());
  }

  @Test
  void givenPropertiesBeatTheUriWhichBeatsSystemProperties() {
    Properties system = props("memjcache.copies", "1", "memjcache.operationTimeoutMillis", "900",
        "memjcache.retryIntervalMillis", "700");
    ClusterSettings s = resolve("memcached://h1:1,h2:2/?copies=3&operationTimeoutMillis=800",
        props("memjcache.copies", "2"), system);
    assertEquals(2, s.copies());
    assertEquals(800, s.operationTimeoutMillis());
    assertEquals(700, s.retryIntervalMillis());
    assertEquals(List.of(new ServerAddress("h1", 1, 1), new ServerAddress("h2", 2, 1)), s.servers());
  }

  @Test
  void serverListsParseWeightsDefaultPortsAndBackups() {
    ClusterSettings s = resolve("memjcache:x",
        props("memjcache.servers", " a:1:3 , b , c:7", "memjcache.backupServers", "d:9"), props());
    assertEquals(List.of(new ServerAddress("a", 1, 3), new ServerAddress("b", 11211, 1),
        new ServerAddress("c", 7, 1)), s.servers());
    assertEquals(List.of(new ServerAddress("d", 9, 1)), s.backupServers());
  }

  @Test
  void badValuesAreErrorsNamingTheSetting() {
    assertNamed("memjcache.servers", props("memjcache.servers", "host:notaport"));
    assertNamed("memjcache.servers", props("memjcache.servers", "host:70000"));
    assertNamed("memjcache.servers", props("memjcache.servers", "host:1:0"));
    assertNamed("memjcache.servers", props("memjcache.servers", " , "));
    assertNamed("listed twice", props("memjcache.servers", "a:1,a:1"));
    assertNamed("memjcache.operationTimeoutMillis", props("memjcache.operationTimeoutMillis", "soon"));
    assertNamed("memjcache.operationTimeoutMillis", props("memjcache.operationTimeoutMillis", "0"));
    assertNamed("memjcache.copies", props("memjcache.copies", "0"));
    assertNamed("memjcache.backupServers", props("memjcache.backupServers", "b:1", "memjcache.copies", "1"));
    assertNamed("memjcache.coppies", props("memjcache.coppies", "2"));
  }

  @Test
  void aMemcachedUriWithoutServersIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> resolve("memcached:///", props(), props()));
  }

  private static void assertNamed(String expected, Properties given) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> resolve("memjcache:x", given, props()));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
