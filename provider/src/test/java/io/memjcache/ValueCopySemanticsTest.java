package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.RealMemcached;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Store-by-value (JSR-107 section 3.1.2, the only mode a memcached-backed cache can offer): the cache
 * never keeps a reference to an object a caller passed in, and never hands out an object it keeps.
 * Mutating a value (a small POJO holding a list) after any write, or after any read, leaves the
 * cached entry as it was.
 */
@RealMemcached
class ValueCopySemanticsTest {

  static MemcachedCluster cluster;
  static CacheManager manager;
  static Cache<String, Basket> cache;

  @BeforeAll
  static void start() {
    cluster = MemcachedCluster.start(2);
    manager = Fixtures.manager(cluster, "copies:baskets");
    cache = manager.createCache("baskets",
        new MutableConfiguration<String, Basket>().setTypes(String.class, Basket.class));
  }

  @AfterAll
  static void stop() {
    try {
      manager.close();
    } finally {
      cluster.close();
    }
  }

  @Test
  void mutatingTheArgumentAfterAnyWriteLeavesTheCacheAlone() {
    Basket put = Basket.of("put", "apple");
    cache.put("put", put);
    put.mutate();

    Basket absent = Basket.of("putIfAbsent", "pear");
    assertTrue(cache.putIfAbsent("putIfAbsent", absent));
    absent.mutate();

    Basket swapped = Basket.of("getAndPut", "plum");
    cache.getAndPut("getAndPut", swapped);
    swapped.mutate();

    cache.put("replace", Basket.of("replace", "fig"));
    Basket replacement = Basket.of("replace", "kiwi");
    assertTrue(cache.replace("replace", Basket.of("replace", "fig"), replacement));
    replacement.mutate();

    Map<String, Basket> batch = new HashMap<>();
    Basket inBatch = Basket.of("putAll", "lime");
    batch.put("putAll", inBatch);
    cache.putAll(batch);
    inBatch.mutate();
    batch.put("putAll", Basket.of("putAll", "swapped in the map"));

    Basket setByProcessor = Basket.of("invoke", "date");
    cache.invoke("invoke", (entry, args) -> {
      entry.setValue(setByProcessor);
      return null;
    });
    setByProcessor.mutate();

    assertEquals(Basket.of("put", "apple"), cache.get("put"));
    assertEquals(Basket.of("putIfAbsent", "pear"), cache.get("putIfAbsent"));
    assertEquals(Basket.of("getAndPut", "plum"), cache.get("getAndPut"));
    assertEquals(Basket.of("replace", "kiwi"), cache.get("replace"));
    assertEquals(Basket.of("putAll", "lime"), cache.get("putAll"));
    assertEquals(Basket.of("invoke", "date"), cache.get("invoke"));
  }

  @Test
  void mutatingWhatAnyReadReturnedLeavesTheCacheAlone() {
    Basket original = Basket.of("reads", "cherry");
    cache.put("reads", original);

    Basket fromGet = cache.get("reads");
    assertNotSame(fromGet, cache.get("reads"), "every get hands out its own copy");
    fromGet.mutate();

    cache.getAll(Set.of("reads")).get("reads").mutate();

    for (Cache.Entry<String, Basket> e : cache) {
      e.getValue().mutate();
    }

    // a processor that only mutates what getValue() returned, without setValue, changes nothing
    cache.invoke("reads", (entry, args) -> {
      entry.getValue().mutate();
      return null;
    });
    // and what a processor returns is the caller's to change
    Basket returned = cache.invoke("reads", (entry, args) -> entry.getValue());
    returned.mutate();

    cache.getAndPut("reads", Basket.of("reads", "cherry")).mutate();
    cache.getAndReplace("reads", Basket.of("reads", "cherry")).mutate();

    assertEquals(original, Basket.of("reads", "cherry"), "the test's own reference was not touched");
    assertEquals(Basket.of("reads", "cherry"), cache.get("reads"));
  }

  @Test
  void mutatingAMutableKeyAfterPutDoesNotMoveTheEntry() {
    Cache<List<String>, String> byList = manager.createCache("by-list",
        new MutableConfiguration<List<String>, String>());
    List<String> key = new ArrayList<>(List.of("a", "b"));
    byList.put(key, "found");
    key.add("c");
    assertEquals("found", byList.get(List.of("a", "b")), "the entry stays under the key as it was put");
    for (Cache.Entry<List<String>, String> e : byList) {
      e.getKey().add("mutated through the iterator");
    }
    assertEquals("found", byList.get(List.of("a", "b")));
    assertEquals(List.of("a", "b"), byList.iterator().next().getKey());
  }

  /** A small mutable POJO; kryo serializes it field by field. */
  static final class Basket {
    String owner;
    List<String> items;
    int[] counts;

    static Basket of(String owner, String item) {
      Basket b = new Basket();
      b.owner = owner;
      b.items = new ArrayList<>(List.of(item));
      b.counts = new int[] {1};
      return b;
    }

    void mutate() {
      owner = owner + " (mutated)";
      items.add("mutated");
      counts[0]++;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Basket b && Objects.equals(owner, b.owner) && Objects.equals(items, b.items)
          && java.util.Arrays.equals(counts, b.counts);
    }

    @Override
    public int hashCode() {
      return Objects.hash(owner, items, java.util.Arrays.hashCode(counts));
    }

    @Override
    public String toString() {
      return owner + items + java.util.Arrays.toString(counts);
    }
  }
}
