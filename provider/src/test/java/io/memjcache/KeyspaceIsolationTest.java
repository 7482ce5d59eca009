package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.codec.EnvelopeCodec;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.RealMemcached;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
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
 * DESIGN invariant 2: a cache key lives in exactly one keyspace (namespace + cache name). Equal keys
 * of two caches, two managers or two namespaces never see each other through any operation, while
 * two clients with the same URI share their entries (the point of a distributed cache). Keys of any
 * shape map to valid memcached keys and round-trip.
 */
@RealMemcached
class KeyspaceIsolationTest {

  static MemcachedCluster cluster;
  static final List<CacheManager> managers = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    cluster = MemcachedCluster.start(3);
  }

  @AfterAll
  static void stopCluster() {
    try {
      managers.forEach(CacheManager::close);
    } finally {
      cluster.close();
    }
  }

  private static MemcachedCacheManager manager(String uri, String... settings) {
    MemcachedCacheManager m = Fixtures.manager(cluster, uri, settings);
    managers.add(m);
    return m;
  }

  private static <K, V> Cache<K, V> cache(CacheManager manager, String name) {
    Cache<K, V> existing = manager.getCache(name);
    return existing != null ? existing : manager.createCache(name, new MutableConfiguration<K, V>());
  }

  @Test
  void equalKeysInTwoCachesOfOneManagerNeverSeeEachOtherThroughAnyOperation() {
    CacheManager manager = manager("isolation:two-caches");
    Cache<String, String> a = cache(manager, "a");
    Cache<String, String> b = cache(manager, "b");
    a.put("k", "in a");
    a.put("only-in-a", "a");
    b.put("k", "in b");

    assertEquals("in a", a.get("k"));
    assertEquals("in b", b.get("k"));
    assertFalse(b.containsKey("only-in-a"));
    assertNull(b.get("only-in-a"));
    assertEquals(Map.of("k", "in b"), b.getAll(Set.of("k", "only-in-a")));
    assertEquals(Map.of("k", "in b"), entries(b), "b's iterator sees only b's entries");
    assertEquals(Map.of("k", "in a", "only-in-a", "a"), entries(a));
    assertFalse(b.putIfAbsent("k", "x"), "b's own k is there");
    assertTrue(b.putIfAbsent("only-in-a", "now in b too"), "a's key does not exist in b");

    assertTrue(b.remove("only-in-a"));
    assertEquals("a", a.get("only-in-a"), "removing from b leaves a alone");
    b.removeAll();
    assertEquals(Map.of("k", "in a", "only-in-a", "a"), entries(a), "b.removeAll() leaves a alone");
    b.put("k", "in b again");
    a.clear();
    assertEquals("in b again", b.get("k"), "a.clear() leaves b alone");
    assertTrue(entries(a).isEmpty());
  }

  @Test
  void sameCacheNameUnderDifferentUrisOrNamespacesIsSeparate() {
    Cache<String, String> one = cache(manager("isolation:app-one"), "shared-name");
    Cache<String, String> two = cache(manager("isolation:app-two"), "shared-name");
    Cache<String, String> tenant = cache(
        manager("isolation:app-three", "memjcache.namespace", "tenant-7"), "shared-name");
    // the same URI as `one`, but on another provider (another JVM) with an explicit namespace
    Cache<String, String> otherNamespace = cache(
        manager("isolation:app-one", "memjcache.namespace", "tenant-8"), "shared-name");
    List<Cache<String, String>> all = List.of(one, two, tenant, otherNamespace);
    for (Cache<String, String> c : all) {
      c.put("k", "written through " + c.getCacheManager().getURI() + "/" + namespace(c));
    }
    for (Cache<String, String> c : all) {
      String mine = "written through " + c.getCacheManager().getURI() + "/" + namespace(c);
      assertEquals(mine, c.get("k"));
      assertEquals(Map.of("k", mine), c.getAll(Set.of("k")));
      assertEquals(Map.of("k", mine), entries(c));
    }
    assertTrue(two.remove("k"));
    assertEquals(List.of(true, false, true, true),
        all.stream().map(c -> c.containsKey("k")).toList(), "only two's entry is gone");
  }

  @Test
  void equalNamespacesShareEntriesWhateverTheUri() {
    // the namespace, not the URI string, decides the keyspace (README: "equal namespace, servers
    // and cache name share entries")
    Cache<String, String> first = cache(manager("isolation:uri-x", "memjcache.namespace", "common"), "c");
    Cache<String, String> second = cache(manager("isolation:uri-y", "memjcache.namespace", "common"), "c");
    first.put("k", "v");
    assertEquals("v", second.get("k"));
  }

  @Test
  void managersWithTheSameUriOnTwoProvidersShareEveryChange() {
    // two provider instances have separate connections: this is what two JVMs see
    Cache<String, String> first = cache(manager("isolation:shared"), "sessions");
    Cache<String, String> second = cache(manager("isolation:shared"), "sessions");
    assertNotEquals(first.getCacheManager().getCachingProvider(),
        second.getCacheManager().getCachingProvider());

    first.put("alice", "cart-1");
    first.put("bob", "cart-2");
    assertEquals("cart-1", second.get("alice"));
    assertTrue(second.containsKey("bob"));
    assertEquals(Map.of("alice", "cart-1", "bob", "cart-2"), second.getAll(Set.of("alice", "bob", "carol")));
    assertEquals(Map.of("alice", "cart-1", "bob", "cart-2"), entries(second));

    assertTrue(second.replace("alice", "cart-1", "cart-3"));
    assertEquals("cart-3", first.get("alice"));
    assertTrue(second.remove("bob"));
    assertNull(first.get("bob"));
    assertFalse(first.putIfAbsent("alice", "lost"));
    assertEquals("cart-3", second.get("alice"));
  }

  @Test
  void keysOfManyShapesRoundTripThroughEveryOperation() throws Exception {
    CacheManager manager = manager("isolation:key-shapes");
    Cache<Object, String> cache = cache(manager, "shapes");
    List<Object> keys = new ArrayList<>(List.of(
        42L, 42, "42", (short) 42, 'x', 4.2d,
        "two words", "line one\nline two\r\nline three", "tab\there", "\u0000nul and \u007f del",
        "ünïcødé ✓ 日本語 \uD83D\uDE00", "", " ",
        new BinaryKey("bytes", new byte[] {0, 1, 2, (byte) 0x80, (byte) 0xff, '\r', '\n', ' '}),
        new BinaryKey("empty", new byte[0]),
        List.of("a", "list", "key"),
        "x".repeat(10_000),
        "y".repeat(10_000)));
    // the string whose encoding just fits memcached's key limit, and the one just past it
    keys.add(longestUnhashedString(manager, "shapes"));
    keys.add(longestUnhashedString(manager, "shapes") + "z");

    Set<String> memcachedKeys = new HashSet<>();
    for (Object key : keys) {
      String mkey = Fixtures.memcachedKey(manager, "shapes", key);
      assertTrue(mkey.length() <= 250, "memcached key within 250 bytes for " + describe(key));
      assertTrue(mkey.chars().allMatch(c -> c > ' ' && c < 127), "printable key for " + describe(key));
      assertTrue(memcachedKeys.add(mkey), "distinct memcached key for " + describe(key));
    }
    assertTrue(Fixtures.memcachedKey(manager, "shapes", "x".repeat(10_000)).contains("#"),
        "a 10,000-char key is stored under its digest");

    for (Object key : keys) {
      cache.put(key, "value of " + describe(key));
    }
    for (Object key : keys) {
      assertEquals("value of " + describe(key), cache.get(key), describe(key));
      assertTrue(cache.containsKey(key), describe(key));
      // the item really is under the key the codec computes, on the key's primary node
      String mkey = Fixtures.memcachedKey(manager, "shapes", key);
      String primary = ((MemcachedCacheManager) manager).cluster().primaryOf(mkey).toString();
      assertTrue(Fixtures.rawGet(cluster.nodeAt(primary), mkey).startsWith("VALUE " + mkey + " "
          + EnvelopeCodec.FLAGS + " "), describe(key));
    }
    Map<Object, String> expected = new HashMap<>();
    keys.forEach(k -> expected.put(k, "value of " + describe(k)));
    assertEquals(expected, cache.getAll(new HashSet<>(keys)));
    assertEquals(expected, entries(cache), "the iterator returns every key, deserialized equal");

    for (Object key : keys) {
      assertTrue(cache.remove(key), describe(key));
      assertFalse(cache.containsKey(key), describe(key));
      assertNull(cache.get(key), describe(key));
    }
    assertTrue(entries(cache).isEmpty());
  }

  @Test
  void anotherKeysValidEntryUnderOurMemcachedKeyIsAMissNeverItsValue() throws Exception {
    CacheManager manager = manager("isolation:collision");
    Cache<String, String> cache = cache(manager, "c");
    String k = "k".repeat(10_000); // hashed: the case where a digest collision could happen
    String mkey = Fixtures.memcachedKey(manager, "c", k);
    // what a digest collision looks like: a valid entry of another key under K's memcached key
    byte[] foreign = EnvelopeCodec.encode(Fixtures.keyBytes("other key"), Fixtures.kryo("other's value"),
        Long.MAX_VALUE, 1);
    Fixtures.rawSetEverywhere(cluster, mkey, EnvelopeCodec.FLAGS, foreign);

    assertNull(cache.get(k));
    assertFalse(cache.containsKey(k));
    assertTrue(cache.getAll(Set.of(k)).isEmpty());
    assertNull(cache.getAndReplace(k, "no"), "absent: nothing to replace");
    assertFalse(cache.remove(k, "other's value"), "the other key's value is not ours to remove");
    for (Cache.Entry<String, String> e : cache) {
      assertNotEquals(k, e.getKey(), "K never appears with the other key's value");
    }

    // the cache keeps working, on K and on others
    assertTrue(cache.putIfAbsent(k, "mine"), "the foreign entry counts as absent");
    assertEquals("mine", cache.get(k));
    assertTrue(cache.replace(k, "mine", "mine again"));
    assertEquals("mine again", cache.get(k));
    cache.put("neighbour", "fine");
    assertEquals("fine", cache.get("neighbour"));
  }

  @Test
  void theIteratorNeverYieldsAnEntryThatGetCannotSee() throws Exception {
    CacheManager manager = manager("isolation:collision-iterator");
    Cache<String, String> cache = cache(manager, "c");
    String k = "k".repeat(10_000);
    byte[] foreign = EnvelopeCodec.encode(Fixtures.keyBytes("other key"), Fixtures.kryo("other's value"),
        Long.MAX_VALUE, 1);
    Fixtures.rawSetEverywhere(cluster, Fixtures.memcachedKey(manager, "c", k), EnvelopeCodec.FLAGS, foreign);
    cache.put("real", "value");

    // JCache's views of a cache must agree: whatever the iterator yields, get returns too
    for (Cache.Entry<String, String> e : cache) {
      assertEquals(e.getValue(), cache.get(e.getKey()),
          "iterator yielded " + e.getKey() + "=" + e.getValue() + " but get(" + e.getKey() + ") disagrees");
    }
    cache.removeAll();
    assertTrue(entries(cache).isEmpty(), "removeAll() leaves nothing the iterator can still see");
  }

  // ------------------------------------------------------------------ helpers

  private static <K, V> Map<K, V> entries(Cache<K, V> cache) {
    Map<K, V> result = new HashMap<>();
    for (Cache.Entry<K, V> e : cache) {
      assertNull(result.put(e.getKey(), e.getValue()), "the iterator returned " + e.getKey() + " twice");
    }
    return result;
  }

  private static String namespace(Cache<?, ?> cache) {
    return cache.getCacheManager().unwrap(MemcachedCacheManager.class).settings().namespace();
  }

  /** The longest string of 'p' whose memcached key is not yet hashed. */
  private static String longestUnhashedString(CacheManager manager, String cacheName) {
    String s = "";
    while (!Fixtures.memcachedKey(manager, cacheName, s + "p").contains("#")) {
      s += "p";
    }
    return s;
  }

  private static String describe(Object key) {
    String s = String.valueOf(key);
    return key.getClass().getSimpleName() + ":" + (s.length() > 24 ? s.substring(0, 24) + "..." : s);
  }

  /** A key holding binary content, with value equality. */
  static final class BinaryKey {
    final String name;
    final byte[] bytes;

    BinaryKey(String name, byte[] bytes) {
      this.name = name;
      this.bytes = bytes;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof BinaryKey other && name.equals(other.name) && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
      return name + Arrays.toString(bytes);
    }
  }
}
