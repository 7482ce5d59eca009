package io.memjcache.samples.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.memjcache.MemcachedCache;
import io.memjcache.MemcachedCacheManager;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import io.memjcache.testkit.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the web application (A and B, each on its own random port with its own cache
 * manager and connections) behind an imaginary load balancer: this test's HTTP client, which sends
 * the same session cookie to both, as a browser would to the balancer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@RealMemcached
class TwoInstancesTest {

  /**
   * Long enough that a request taking over a second on a loaded machine (the first ones after a
   * node's kill wait out its verdict and the routing guard) still comes within the timeout of the
   * previous one: at 2 s, request 2 after the kill once found its session expired.
   */
  static final Duration TIMEOUT = Duration.ofSeconds(4);

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  MemcachedCluster cluster;
  ConfigurableApplicationContext a;
  ConfigurableApplicationContext b;

  @BeforeAll
  void startClusterAndBothInstances() {
    cluster = MemcachedCluster.start(3);
    a = start("A", cluster);
    b = start("B", cluster);
  }

  @AfterAll
  void stopAll() {
    for (AutoCloseable closeable : new AutoCloseable[] {b, a, cluster}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        e.printStackTrace();
      }
    }
  }

  @Test
  void aSessionMadeOnOneInstanceIsServedByTheOtherSurvivesANodeKillAndExpires() throws Exception {
    String cookie = login(a, "alice");
    assertEquals(new Reply(200, "alice (B)"), me(b, cookie), "B serves the session A made");
    assertEquals(new Reply(200, "alice (A)"), me(a, cookie));

    // the session's primary memcached node dies (SIGKILL); its backup copy serves it
    MemcachedCacheManager manager = a.getBean(javax.cache.CacheManager.class).unwrap(MemcachedCacheManager.class);
    @SuppressWarnings("unchecked")
    MemcachedCache<String, Object> sessions = manager.getCache("sessions").unwrap(MemcachedCache.class);
    String key = sessions.memcachedKeyOf(sessionId(cookie));
    MemcachedProcess primary = cluster.nodeAt(manager.cluster().primaryOf(key));
    assertEquals("HD", primary.command("mg " + key).trim(), "the primary holds the session");
    String raw = primary.command("mg " + key + " v");
    assertFalse(raw.contains("alice") || raw.contains(sessionId(cookie)), "the session is sealed: " + raw);
    primary.kill();
    assertEquals(new Reply(200, "alice (B)"), me(b, cookie), "still logged in after the node died");
    assertEquals(new Reply(200, "alice (A)"), me(a, cookie));

    // in use, the session outlives its timeout: each request starts the timeout again; requests
    // a quarter of a timeout apart (room for a slow request) until one comes after the moment the
    // session would have expired unused
    long lastUse = System.currentTimeMillis(); // the session was last used before this
    long expiredIfUnused = lastUse + TIMEOUT.toMillis();
    for (int i = 0; lastUse <= expiredIfUnused; i++) {
      Waits.past(lastUse + TIMEOUT.toMillis() / 4);
      assertEquals(200, me(i % 2 == 0 ? a : b, cookie).status(), "request " + i + " in a busy session");
      lastUse = System.currentTimeMillis();
    }

    // idle for longer than the timeout: logged out, on both instances
    Waits.past(lastUse + TIMEOUT.toMillis());
    assertEquals(new Reply(401, "not logged in (B)"), me(b, cookie));
    assertEquals(new Reply(401, "not logged in (A)"), me(a, cookie));

    // logging out on one instance logs out on the other
    String bob = login(b, "bob");
    assertEquals(new Reply(200, "bob (A)"), me(a, bob));
    post(a, "/logout", bob);
    assertEquals(new Reply(401, "not logged in (B)"), me(b, bob));
  }

  @Test
  void theSessionIdChangesAtLoginAndTheOldOneStopsWorking() throws Exception {
    String first = login(a, "carol");
    String second = login(b, "carol", first); // logged in again, with the session cookie
    assertNotEquals(first, second);
    assertEquals(new Reply(200, "carol (A)"), me(a, second));
    assertEquals(401, me(a, first).status(), "the pre-login id is gone");
  }

  record Reply(int status, String body) {}

  private static ConfigurableApplicationContext start(String name, MemcachedCluster cluster) {
    return new SpringApplicationBuilder(SessionsApplication.class).run(
        "--server.port=0",
        "--server.address=127.0.0.1",
        "--server.servlet.session.timeout=" + TIMEOUT.toMillis() + "ms",
        "--app.instance-name=" + name,
        "--memjcache.servers=" + cluster.servers(),
        // in one JVM, JCache gives one manager per URI: each instance gets its own, as in its own JVM
        "--sessions.cache-manager-uri=memjcache:sessions-" + name,
        "--logging.level.root=WARN",
        "--logging.level.net.spy.memcached=ERROR"); // spymemcached retries the killed node noisily
  }

  private String login(ConfigurableApplicationContext app, String user) throws IOException, InterruptedException {
    return login(app, user, null);
  }

  /** Logs in, returns the session cookie ({@code SESSION=...}) the application set. */
  private String login(ConfigurableApplicationContext app, String user, String cookie)
      throws IOException, InterruptedException {
    HttpResponse<String> response = post(app, "/login?user=" + user, cookie);
    assertEquals(200, response.statusCode(), response.body());
    String setCookie = response.headers().firstValue("Set-Cookie").orElse(null);
    assertNotNull(setCookie, "a session cookie: " + response.headers().map());
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private Reply me(ConfigurableApplicationContext app, String cookie) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request(app, "/me", cookie).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body().trim());
  }

  private HttpResponse<String> post(ConfigurableApplicationContext app, String path, String cookie)
      throws IOException, InterruptedException {
    return http.send(request(app, path, cookie).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(ConfigurableApplicationContext app, String path, String cookie) {
    int port = ((WebServerApplicationContext) app).getWebServer().getPort();
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10));
    return cookie == null ? builder : builder.header("Cookie", cookie);
  }

  /** Spring Session's cookie holds the session id in base64. */
  private static String sessionId(String cookie) {
    String value = cookie.substring(cookie.indexOf('=') + 1);
    return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }
}
