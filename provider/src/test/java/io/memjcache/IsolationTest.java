package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.codec.EnvelopeCodec;
import io.memjcache.codec.KryoSerializer;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.RealMemcached;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DESIGN invariant 2: equal keys of different caches, managers or applications never meet. */
@RealMemcached
class IsolationTest {

  static MemcachedCluster cluster;

  @BeforeAll
  static void start() {
    cluster = MemcachedCluster.start(3);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static <K, V> Cache<K, V> cache(CacheManager manager, String name) {
    Cache<K, V> existing = manager.getCache(name);
    return existing != null ? existing : manager.createCache(name, new MutableConfiguration<K, V>());
  }

  @Test
  void equalKeysInTwoCachesOfOneManagerAreSeparate() {
    CacheManager manager = Clients.manager(cluster, "iso:caches");
    Cache<String, String> a = cache(manager, "a");
    Cache<String, String> b = cache(manager, "b");
    a.put("k", "in a");
    b.put("k", "in b");
    assertEquals("in a", a.get("k"));
    assertEquals("in b", b.get("k"));
    a.clear();
    assertNull(a.get("k"));
    assertEquals("in b", b.get("k"), "clear() of one cache leaves the other alone");
  }

  @Test
  void equalCacheNamesUnderDifferentUrisOrNamespacesAreSeparate() {
    Cache<String, String> one = cache(Clients.manager(cluster, "iso:app-one"), "shared-name");
    Cache<String, String> two = cache(Clients.manager(cluster, "iso:app-two"), "shared-name");
    Cache<String, String> three = cache(
        Clients.manager(cluster, "iso:app-one", "memjcache.namespace", "tenant-3"), "shared-name");
    one.put("k", "one");
    two.put("k", "two");
    three.put("k", "three");
    assertEquals("one", one.get("k"));
    assertEquals("two", two.get("k"));
    assertEquals("three", three.get("k"));
    assertEquals(1, count(one), "iteration sees only its own cache");
  }

  @Test
  void managersWithTheSameUriOnTwoProvidersShareEntries() {
    Cache<String, String> first = cache(Clients.manager(cluster, "iso:shared"), "c");
    Cache<String, String> second = cache(Clients.manager(cluster, "iso:shared"), "c");
    first.put("k", "written by the first client");
    assertEquals("written by the first client", second.get("k"));
  }

  @Test
  void keysOfAnyShapeRoundTrip() {
    Cache<Object, String> cache = cache(Clients.manager(cluster, "iso:shapes"), "shapes");
    List<Object> keys = new ArrayList<>(List.of(42L, 42, "42", "with spaces and\nnewlines\tand\r\n",
        "ünïcødé ✓ 日本", "", new CompositeKey("a b", new byte[] {0, 1, (byte) 255, '\n'}),
        "x".repeat(10_000)));
    for (Object key : keys) {
      cache.put(key, "value of " + describe(key));
    }
    for (Object key : keys) {
      assertEquals("value of " + describe(key), cache.get(key), describe(key));
      assertTrue(cache.containsKey(key));
    }
    assertEquals(keys.size(), count(cache));
    for (Object key : keys) {
      assertTrue(cache.remove(key), describe(key));
      assertFalse(cache.containsKey(key));
    }
  }

  @Test
  void anotherKeysEntryUnderOurMemcachedKeyIsAMissNotItsValue() throws Exception {
    CacheManager manager = Clients.manager(cluster, "iso:collision");
    Cache<String, String> cache = cache(manager, "c");
    KryoSerializer kryo = new KryoSerializer(Clients.LOADER);
    // what a digest collision looks like: a valid entry of key "other" under the key of "mine"
    byte[] foreign = EnvelopeCodec.encode(kryo.serialize("other"), kryo.serialize("other's value"),
        Long.MAX_VALUE, 1);
    Clients.rawSet(cluster, Clients.memcachedKey(manager, "c", "mine"), EnvelopeCodec.FLAGS, foreign);
    assertNull(cache.get("mine"));
    assertFalse(cache.containsKey("mine"));
    assertTrue(cache.putIfAbsent("mine", "my value"), "the foreign entry counts as absent");
    assertEquals("my value", cache.get("mine"));
  }

  private static long count(Cache<?, ?> cache) {
    long n = 0;
    for (Cache.Entry<?, ?> ignored : cache) {
      n++;
    }
    return n;
  }

  private static String describe(Object key) {
    String s = String.valueOf(key);
    return key.getClass().getSimpleName() + ":" + (s.length() > 20 ? s.substring(0, 20) + "..." : s);
  }

  /** A key with binary content and equals/hashCode over it. */
  static final class CompositeKey implements Serializable {
    private static final long serialVersionUID = 1L;
    final String name;
    final byte[] bytes;

    CompositeKey(String name, byte[] bytes) {
      this.name = name;
      this.bytes = bytes;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CompositeKey other && name.equals(other.name)
          && java.util.Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, java.util.Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  @Test
  void compositeKeyEqualityHolds() {
    assertArrayEquals(new byte[] {1}, new CompositeKey("a", new byte[] {1}).bytes);
  }
}
