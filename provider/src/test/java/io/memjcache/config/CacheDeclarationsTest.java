package io.memjcache.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.junit.jupiter.api.Test;

/**
 * Per-cache settings {@code memjcache.cache.<name|pattern>.<attribute>} (pure: no server): parsing,
 * which declaration wins, what is applied to an application's configuration, and the errors.
 */
class CacheDeclarationsTest {

  static CacheDeclarations parse(String... nameValue) {
    Properties p = new Properties();
    for (int i = 0; i < nameValue.length; i += 2) {
      p.setProperty(nameValue[i], nameValue[i + 1]);
    }
    return CacheDeclarations.parse(p);
  }

  static ExpiryPolicy expiry(CacheDeclarations d, String cache) {
    return d.forCache(cache).expiry().orElseThrow().create();
  }

  @Test
  void everyPolicyAndUnitParses() {
    CacheDeclarations d = parse("memjcache.cache.a.expiry", "created:10m", "memjcache.cache.b.expiry", "accessed:500ms",
        "memjcache.cache.c.expiry", "modified:2h", "memjcache.cache.d.expiry", "touched:30s",
        "memjcache.cache.e.expiry", "ETERNAL", "memjcache.cache.f.expiry", " created:1d ");
    assertEquals(new CreatedExpiryPolicy(new Duration(TimeUnit.MINUTES, 10)), expiry(d, "a"));
    assertEquals(new AccessedExpiryPolicy(new Duration(TimeUnit.MILLISECONDS, 500)), expiry(d, "b"));
    assertEquals(new ModifiedExpiryPolicy(new Duration(TimeUnit.HOURS, 2)), expiry(d, "c"));
    assertEquals(new TouchedExpiryPolicy(new Duration(TimeUnit.SECONDS, 30)), expiry(d, "d"));
    assertEquals(new EternalExpiryPolicy(), expiry(d, "e"));
    assertEquals(new CreatedExpiryPolicy(new Duration(TimeUnit.DAYS, 1)), expiry(d, "f"));
  }

  @Test
  void namesWithDotsTakeTheAttributeAfterTheLastDot() {
    CacheDeclarations d = parse("memjcache.cache.com.example.Book.chapters.statistics", "true");
    assertEquals(List.of("com.example.Book.chapters"), d.declaredNames());
    assertEquals(Optional.of(true), d.forCache("com.example.Book.chapters").statistics());
    assertEquals(CacheSettings.NONE, d.forCache("com.example.Book"));
  }

  @Test
  void exactNameBeatsLongerPatternWhichBeatsShorterOnePerAttribute() {
    CacheDeclarations d = parse(
        "memjcache.cache.*.expiry", "created:1s",
        "memjcache.cache.*.statistics", "true",
        "memjcache.cache.users-*.expiry", "created:2s",
        "memjcache.cache.users-eu-*.expiry", "created:3s",
        "memjcache.cache.users-eu-1.management", "true",
        "memjcache.cache.users-eu-2.expiry", "created:4s");
    assertEquals(new CreatedExpiryPolicy(new Duration(TimeUnit.SECONDS, 1)), expiry(d, "orders"));
    assertEquals(new CreatedExpiryPolicy(new Duration(TimeUnit.SECONDS, 2)), expiry(d, "users-us"));
    assertEquals(new CreatedExpiryPolicy(new Duration(TimeUnit.SECONDS, 3)), expiry(d, "users-eu-1"),
        "an exact name that does not set expiry leaves it to the best pattern");
    assertEquals(new CreatedExpiryPolicy(new Duration(TimeUnit.SECONDS, 4)), expiry(d, "users-eu-2"));
    assertEquals(Optional.of(true), d.forCache("users-eu-1").management());
    assertEquals(Optional.of(true), d.forCache("users-eu-1").statistics(), "from the * pattern");
    assertEquals(List.of("users-eu-1", "users-eu-2"), d.declaredNames(), "patterns declare no cache");
  }

  @Test
  void patternsMatchWholeNamesAndQuoteRegexCharacters() {
    CacheDeclarations d = parse("memjcache.cache.a.b*.statistics", "true");
    assertTrue(d.forCache("a.b.c").statistics().isPresent());
    assertTrue(d.forCache("a.b").statistics().isPresent());
    assertFalse(d.forCache("aXb").statistics().isPresent(), "the dot is literal");
    assertFalse(d.forCache("x.a.b").statistics().isPresent(), "anchored at the start");
  }

  @Test
  void declaredSettingsOverrideTheApplicationsConfigurationAndOnlyThose() {
    MutableConfiguration<String, String> app = new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class).setStatisticsEnabled(false).setManagementEnabled(true)
        .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(Duration.ONE_HOUR));
    parse("memjcache.cache.c.statistics", "true", "memjcache.cache.c.storeByValue", "true")
        .forCache("c").applyTo(app);
    assertTrue(app.isStatisticsEnabled());
    assertTrue(app.isManagementEnabled(), "not declared: the application's value");
    assertEquals(new AccessedExpiryPolicy(Duration.ONE_HOUR), app.getExpiryPolicyFactory().create());
    assertEquals(String.class, app.getKeyType());
  }

  @Test
  void malformedSettingsAreErrorsNamingThem() {
    for (String[] bad : List.of(
        new String[] {"memjcache.cache.c.expiry", "10m"},
        new String[] {"memjcache.cache.c.expiry", "created:10 minutes"},
        new String[] {"memjcache.cache.c.expiry", "created:0s"},
        new String[] {"memjcache.cache.c.expiry", "created:99999999999999999999s"},
        new String[] {"memjcache.cache.c.expiry", "sliding:1s"},
        new String[] {"memjcache.cache.c.statistics", "yes"},
        new String[] {"memjcache.cache.c.storeByValue", "false"},
        new String[] {"memjcache.cache.c.expiryPolicy", "eternal"},
        new String[] {"memjcache.cache.statistics", "true"})) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(bad), bad[0]);
      assertTrue(e.getMessage().contains(bad[0]), e.getMessage());
    }
  }

  @Test
  void perCacheSettingsAreKnownToTheResolverAndOthersStillRejected() {
    Properties given = new Properties();
    given.setProperty("memjcache.cache.books.expiry", "created:1m");
    ManagerSettings s = Settings.resolve(java.net.URI.create("memjcache:a"), null, given, new Properties());
    assertEquals(List.of("books"), s.caches().declaredNames());
    given.setProperty("memjcache.caches.books.expiry", "created:1m");
    assertThrows(IllegalArgumentException.class,
        () -> Settings.resolve(java.net.URI.create("memjcache:a"), null, given, new Properties()));
  }

  @Test
  void serversDefaultedOnlyWhenNothingNamesThem() {
    java.net.URI plain = java.net.URI.create("memjcache:a");
    assertTrue(Settings.resolve(plain, null, new Properties(), new Properties()).serversDefaulted());
    Properties system = new Properties();
    system.setProperty("memjcache.servers", "10.0.0.1");
    assertFalse(Settings.resolve(plain, null, new Properties(), system).serversDefaulted());
    assertFalse(Settings.resolve(java.net.URI.create("memcached://10.0.0.1/"), (ClassLoader) null, null, null)
        .serversDefaulted());
  }
}
