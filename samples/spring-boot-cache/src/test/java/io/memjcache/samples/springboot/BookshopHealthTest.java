package io.memjcache.samples.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application's actuator health endpoint over HTTP while the nodes of a real 3-node cluster
 * are killed and restarted, on whichever Spring Boot this module builds with (4.0 here, 3.5 in
 * {@code spring-boot-cache-boot3}): the {@code memjcache} component lists every node's state; a
 * killed node shows DOWN with the application still UP (its replicas answer) and UP again once it
 * has returned; with every node killed the application is DOWN, HTTP 503.
 */
@RealMemcached
class BookshopHealthTest {

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  static final Pattern COMPONENT_STATUS = Pattern.compile("\"memjcache\":\\{.*?\"status\":\"(\\w+)\"");

  @Test
  void theHealthEndpointFollowsEachNode() throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(3);
        ConfigurableApplicationContext app = SpringApplication.run(BookshopApplication.class,
            "--spring.main.web-application-type=servlet", "--server.port=0", "--server.address=127.0.0.1",
            "--management.endpoints.web.exposure.include=health",
            "--management.endpoint.health.show-details=always",
            "--memjcache.servers=" + cluster.servers(), "--memjcache.retryIntervalMillis=100")) {
      URI health = URI.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port")
          + "/actuator/health");
      MemcachedProcess node = cluster.node(1);
      String up = "\"" + node.address() + "\":\"UP\"";
      String down = "\"" + node.address() + "\":\"DOWN\"";

      HttpResponse<String> all = await(health, r -> r.statusCode() == 200 && !r.body().contains("DOWN"));
      for (MemcachedProcess each : cluster.nodes()) {
        assertTrue(all.body().contains("\"" + each.address() + "\":\"UP\""), all.body());
      }
      assertEquals("UP", memjcacheStatus(all), all.body());

      node.kill();
      HttpResponse<String> killed = await(health, r -> r.body().contains(down));
      assertEquals(200, killed.statusCode(), killed.body());
      assertEquals("UP", memjcacheStatus(killed), killed.body());

      node.restartEmpty();
      HttpResponse<String> returned = await(health, r -> r.body().contains(up));
      assertEquals(200, returned.statusCode(), returned.body());
      assertEquals("UP", memjcacheStatus(returned), returned.body());

      cluster.nodes().forEach(MemcachedProcess::kill);
      HttpResponse<String> none = await(health, r -> r.statusCode() == 503);
      assertEquals("DOWN", memjcacheStatus(none), none.body());
    }
  }

  /**
   * The status of the {@code memjcache} component in a health answer: the first {@code status} after
   * its name, as its details (node address to state) have none, whichever order the JSON has.
   */
  static String memjcacheStatus(HttpResponse<String> health) {
    Matcher status = COMPONENT_STATUS.matcher(health.body());
    return status.find() ? status.group(1) : "no memjcache component";
  }

  /**
   * GETs {@code uri} until the answer satisfies {@code wanted}; 30 s at most (a rejoin takes seconds,
   * and the first request on a loaded machine initializes the web layer). A request that times out
   * counts as no answer yet.
   */
  static HttpResponse<String> await(URI uri, Predicate<HttpResponse<String>> wanted) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String last = "none";
    do {
      try {
        HttpRequest get = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> answer = HTTP.send(get, HttpResponse.BodyHandlers.ofString());
        if (wanted.test(answer)) {
          return answer;
        }
        last = answer.statusCode() + " " + answer.body();
      } catch (HttpTimeoutException e) {
        last = e.toString();
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("no such answer from " + uri + " within 30 s; last: " + last);
  }
}
