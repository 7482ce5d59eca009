package io.memjcache.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.cluster.SaslCredentials;
import io.memjcache.security.KeyRing;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secret and SASL settings: one source each, errors naming the setting, never the secret. */
class SecretSettingsTest {

  static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
  static final URI URI_ = URI.create("memjcache:secrets");

  private static ClusterSettings resolve(Map<String, String> env, String... pairs) {
    Properties p = new Properties();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      p.setProperty(pairs[i], pairs[i + 1]);
    }
    return Settings.resolve(URI_, p, new Properties(), env);
  }

  private static String error(Map<String, String> env, String... pairs) {
    return assertThrows(IllegalArgumentException.class, () -> resolve(env, pairs)).getMessage();
  }

  @Test
  void withoutSettingsThereIsNoSecretAndNoSasl() {
    ClusterSettings s = resolve(Map.of());
    assertEquals(KeyRing.NONE, s.keyRing());
    assertEquals(SaslCredentials.NONE, s.credentials());
  }

  @Test
  void theSecretComesInlineFromAFileOrFromAnEnvironmentVariable(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys");
    Files.writeString(file, "# first seals\n2=" + KEY + "\n1=" + KEY.replace('M', 'N') + "\n");
    assertEquals("secret keys [0]", resolve(Map.of(), "memjcache.secret", KEY).keyRing().toString());
    assertEquals("secret keys [2, 1]",
        resolve(Map.of(), "memjcache.secretFile", file.toString()).keyRing().toString());
    assertEquals("secret keys [0]",
        resolve(Map.of("APP_KEY", KEY), "memjcache.secretEnv", "APP_KEY").keyRing().toString());
  }

  @Test
  void anUnusableSourceIsAnErrorNamingItsSettingAndNeverTheSecret(@TempDir Path dir) {
    assertTrue(error(Map.of(), "memjcache.secretFile", dir.resolve("missing").toString())
        .startsWith("memjcache.secretFile: cannot read"));
    assertTrue(error(Map.of(), "memjcache.secretEnv", "NOT_SET").contains("NOT_SET is not set"));
    String both = error(Map.of(), "memjcache.secret", KEY, "memjcache.secretEnv", "X");
    assertTrue(both.contains("memjcache.secret") && both.contains("only one"), both);
    assertFalse(both.contains(KEY));
    String shortKey = error(Map.of(), "memjcache.secret", KEY.substring(0, 12));
    assertTrue(shortKey.startsWith("memjcache.secret:") && !shortKey.contains(KEY.substring(0, 12)), shortKey);
    assertFalse(resolve(Map.of(), "memjcache.secret", KEY).toString().contains(KEY));
  }

  @Test
  void secretsAreRefusedInAManagerUriWhichIsLoggedAndShown() {
    String message = assertThrows(IllegalArgumentException.class, () -> Settings.resolve(
        URI.create("memcached://127.0.0.1:11211/?secret=" + KEY), null, null)).getMessage();
    assertTrue(message.startsWith("memjcache.secret must not be given in the URI"), message);
  }

  @Test
  void saslNeedsAUserAndExactlyOnePasswordSource(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("pw");
    Files.writeString(file, "from file\r\n");
    assertEquals(new SaslCredentials("app", "inline"),
        resolve(Map.of(), "memjcache.username", "app", "memjcache.password", "inline").credentials());
    assertEquals(new SaslCredentials("app", "from file"), resolve(Map.of(),
        "memjcache.username", "app", "memjcache.passwordFile", file.toString()).credentials());
    assertEquals(new SaslCredentials("app", "from env"), resolve(Map.of("PW", "from env"),
        "memjcache.username", "app", "memjcache.passwordEnv", "PW").credentials());
    assertTrue(error(Map.of(), "memjcache.username", "app").contains("needs a password"));
    assertTrue(error(Map.of(), "memjcache.password", "pw").startsWith("memjcache.username is needed"));
    // a blank user alone is an error naming the setting, not a NullPointerException (NullAway found it)
    assertEquals("memjcache.username is blank", error(Map.of(), "memjcache.username", " "));
    assertTrue(error(Map.of("PW", "x"), "memjcache.username", "app", "memjcache.password", "pw",
        "memjcache.passwordEnv", "PW").contains("only one"));
    String shown = resolve(Map.of(), "memjcache.username", "app", "memjcache.password", "inline").toString();
    assertTrue(shown.contains("SASL user app") && !shown.contains("inline"), shown);
  }

  @Test
  void theSecretAndTheCredentialsSplitConnectionsTheNamespaceDoesNot() {
    // the secret signs the membership marks the connections' clients keep: equal secrets share
    ClusterSettings sealed = resolve(Map.of(), "memjcache.secret", KEY);
    assertEquals(sealed.connectionKey(), resolve(Map.of(), "memjcache.secret", KEY).connectionKey());
    assertFalse(resolve(Map.of()).connectionKey().equals(sealed.connectionKey()));
    assertEquals(resolve(Map.of()).connectionKey(), resolve(Map.of(), "memjcache.namespace", "other").connectionKey());
    ClusterSettings sasl = resolve(Map.of(), "memjcache.username", "app", "memjcache.password", "pw");
    assertFalse(resolve(Map.of()).connectionKey().equals(sasl.connectionKey()));
  }
}
