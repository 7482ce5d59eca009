package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.codec.EnvelopeCodec;
import io.memjcache.codec.KryoSerializer;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.RealMemcached;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN invariant 7: bad input gets a clear exception or a miss, never a hang, a wrong value or a
 * broken connection; after each case the cache still works for other keys.
 */
@RealMemcached
class BadInputTest {

  static MemcachedCluster cluster;
  static CacheManager manager;
  static Cache<Object, Object> cache;

  @BeforeAll
  static void start() {
    // memcached's default 1 MB item limit, stated explicitly
    cluster = MemcachedCluster.start(2, List.of("-I", "1m", "-o", "lru_crawler_sleep=0"));
    manager = Clients.manager(cluster, "bad:input");
    cache = manager.createCache("c", new MutableConfiguration<>());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @AfterEach
  void cacheStillWorks() {
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      cache.put("healthy", "yes");
      assertEquals("yes", cache.get("healthy"));
    });
  }

  @Test
  void nullKeysAndValuesAreNullPointerExceptions() {
    assertThrows(NullPointerException.class, () -> cache.put(null, "v"));
    assertThrows(NullPointerException.class, () -> cache.put("k", null));
    assertThrows(NullPointerException.class, () -> cache.get(null));
    assertThrows(NullPointerException.class, () -> cache.remove(null));
    assertThrows(NullPointerException.class, () -> cache.putAll(Collections.singletonMap("k", null)));
    assertThrows(NullPointerException.class, () -> cache.getAll(new HashSet<>(Arrays.asList("a", null))));
    Map<Object, Object> withNullKey = new HashMap<>();
    withNullKey.put(null, "v");
    assertThrows(NullPointerException.class, () -> cache.putAll(withNullKey));
  }

  @Test
  void aValueOverTheServerItemLimitIsAClearExceptionAndStoresNothing() {
    byte[] twoMegabytes = new byte[2 * 1024 * 1024];
    CacheException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> assertThrows(CacheException.class, () -> cache.put("big", twoMegabytes)));
    assertTrue(e.getMessage().contains("item size limit"), e.getMessage());
    assertNull(cache.get("big"));
  }

  @Test
  void aValueKryoCannotSerializeIsACacheExceptionNamingItsClass() {
    Object unserializable = new HoldsAThread(Thread.currentThread());
    CacheException e = assertThrows(CacheException.class, () -> cache.put("k", unserializable));
    assertTrue(e.getMessage().contains(HoldsAThread.class.getName()), e.getMessage());
    assertNull(cache.get("k"));
  }

  @Test
  void anotherClientsBytesUnderOurKeyAreAMissAndGetOverwritten() throws Exception {
    String key = Clients.memcachedKey(manager, "c", "foreign");
    Clients.rawSet(cluster, key, 0, "not ours".getBytes(StandardCharsets.US_ASCII));
    assertNull(cache.get("foreign"));
    assertTrue(cache.putIfAbsent("foreign", "ours"));
    assertEquals("ours", cache.get("foreign"));
  }

  @Test
  void aCorruptOrTruncatedEntryIsAMissAndGetsOverwritten() throws Exception {
    KryoSerializer kryo = new KryoSerializer(Clients.LOADER);
    byte[] good = EnvelopeCodec.encode(kryo.serialize("corrupt"), kryo.serialize("value"), Long.MAX_VALUE, 1);
    byte[] flipped = good.clone();
    flipped[flipped.length / 2] ^= 0x5A;
    String key = Clients.memcachedKey(manager, "c", "corrupt");
    Clients.rawSet(cluster, key, EnvelopeCodec.FLAGS, flipped);
    assertNull(cache.get("corrupt"));
    Clients.rawSet(cluster, key, EnvelopeCodec.FLAGS, Arrays.copyOf(good, good.length - 7));
    assertNull(cache.get("corrupt"));
    cache.put("corrupt", "repaired");
    assertEquals("repaired", cache.get("corrupt"));
    assertTrue(cache.replace("corrupt", "repaired", "again"));
  }

  /** Kryo cannot serialize a live thread (its fields reach into the JVM). */
  static final class HoldsAThread {
    final Thread thread;

    HoldsAThread(Thread thread) {
      this.thread = thread;
    }
  }
}
