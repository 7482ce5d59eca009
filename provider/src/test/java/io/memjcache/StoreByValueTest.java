package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.RealMemcached;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Values cross the network as bytes: the cache never hands out or keeps the caller's objects. */
@RealMemcached
class StoreByValueTest {

  static MemcachedCluster cluster;
  static Cache<String, List<String>> cache;

  @BeforeAll
  static void start() {
    cluster = MemcachedCluster.start(2);
    cache = Clients.manager(cluster, "byvalue:test").createCache("lists", new MutableConfiguration<>());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void mutatingAValueAfterPutDoesNotChangeTheCache() {
    List<String> value = new ArrayList<>(List.of("a"));
    cache.put("k1", value);
    value.add("mutated");
    assertEquals(List.of("a"), cache.get("k1"));
  }

  @Test
  void mutatingAValueAfterGetDoesNotChangeTheCache() {
    cache.put("k2", new ArrayList<>(List.of("a")));
    cache.get("k2").add("mutated");
    cache.getAll(Set.of("k2")).get("k2").add("mutated");
    for (Cache.Entry<String, List<String>> e : cache) {
      e.getValue().add("mutated");
    }
    cache.invoke("k2", (entry, args) -> entry.getValue().add("mutated without setValue"));
    assertEquals(List.of("a"), cache.get("k2"));
  }

  @Test
  void mutatingTheMapGivenToPutAllDoesNotChangeTheCache() {
    List<String> value = new ArrayList<>(List.of("b"));
    cache.putAll(Map.of("k3", value));
    value.clear();
    assertEquals(List.of("b"), cache.get("k3"));
  }
}
