package io.memjcache.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.RealMemcached;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@code memjcache} health component over HTTP, and the node-state meters, while the nodes of
 * a real 3-node cluster are killed: one node down shows in the details with the status still UP
 * (its replicas answer); every node down is status DOWN, HTTP 503.
 */
@RealMemcached
class HealthEndpointTest {

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void nodeStatesOverHttpWhileNodesAreKilled() throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(3);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(LibraryApplication.class)
            .properties("spring.cache.type=jcache", "server.port=0", "server.address=127.0.0.1",
                "management.endpoints.web.exposure.include=health",
                "management.endpoint.health.show-details=always",
                "memjcache.servers=" + cluster.servers(), "memjcache.namespace=boot-health",
                "memjcache.retryIntervalMillis=100", "memjcache.cache.books.expiry=eternal")
            .run()) {
      URI health = URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
          + "/actuator/health/memjcache");
      String first = cluster.node(0).address();
      HttpResponse<String> all = await(health, r -> r.statusCode() == 200 && !r.body().contains("DOWN"));
      assertTrue(all.body().contains("\"" + first + "\":\"UP\""), all.body());

      cluster.node(0).kill();
      HttpResponse<String> one = await(health, r -> r.body().contains("\"" + first + "\":\"DOWN\""));
      assertEquals(200, one.statusCode(), one.body());
      assertTrue(one.body().contains("\"status\":\"UP\""), one.body());
      MeterRegistry meters = context.getBean(MeterRegistry.class);
      assertEquals(1.0, meters.get("memjcache.node.state").tags("node", first, "state", "DOWN").gauge().value());
      assertEquals(0.0, meters.get("memjcache.node.state").tags("node", first, "state", "UP").gauge().value());
      assertTrue(meters.get("memjcache.cluster.nodes.marked.down").functionCounter().count() >= 1);

      cluster.node(1).kill();
      cluster.node(2).kill();
      HttpResponse<String> none = await(health, r -> r.statusCode() == 503);
      assertTrue(none.body().contains("\"status\":\"DOWN\""), none.body());
    }
  }

  /** GETs {@code uri} until the answer satisfies {@code wanted}; 10 s at most. */
  static HttpResponse<String> await(URI uri, Predicate<HttpResponse<String>> wanted) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    HttpResponse<String> last;
    do {
      last = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (wanted.test(last)) {
        return last;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("no such answer from " + uri + " within 10 s; last: " + last.statusCode()
        + " " + last.body());
  }
}
