package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.memjcache.codec.EnvelopeCodec;
import io.memjcache.testkit.MemcachedCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * DESIGN invariant 7: bad input is a clear exception or a miss, never a hang, a wrong value, a node
 * marked down or a broken connection. After every case the cache still serves other keys within a
 * few seconds, and the cluster is still healthy. (Values over the server's item size limit: see
 * {@link ItemSizeLimitTest}.)
 */
class BadInputRecoveryTest {

  static final Duration PROMPTLY = Duration.ofSeconds(5);

  static MemcachedCluster cluster;
  static MemcachedCacheManager manager;
  static Cache<Object, Object> cache;

  @BeforeAll
  static void start() {
    cluster = MemcachedCluster.start(2);
    manager = Fixtures.manager(cluster, "bad-input:recovery");
    cache = manager.createCache("c", new MutableConfiguration<>());
  }

  @AfterAll
  static void stop() {
    try {
      manager.close();
    } finally {
      cluster.close();
    }
  }

  @AfterEach
  void cacheStillServesOtherKeysAndNoNodeWasMarkedDown() {
    assertTimeoutPreemptively(PROMPTLY, () -> {
      cache.put("healthy", "yes");
      assertEquals("yes", cache.get("healthy"));
      assertEquals(Map.of("healthy", "yes"), cache.getAll(Set.of("healthy")));
      assertTrue(cache.replace("healthy", "yes", "still"));
      assertTrue(cache.remove("healthy"));
    });
    assertTrue(manager.cluster().isHealthy(), "every node UP: " + manager.cluster().getNodeStates());
    assertEquals(0, manager.cluster().getNodesMarkedDown(), "bad input never marks a node down");
  }

  // ------------------------------------------------------------------ nulls

  @Test
  void nullKeysAndValuesAreNullPointerExceptionsAndWriteNothing() {
    Set<Object> withNull = new HashSet<>(Arrays.asList("n1", null));
    Map<Object, Object> nullValue = new HashMap<>();
    nullValue.put("n1", "fine");
    nullValue.put("n2", null);
    Map<Object, Object> nullKey = new HashMap<>();
    nullKey.put("n1", "fine");
    nullKey.put(null, "v");
    EntryProcessor<Object, Object, Object> noop = (e, a) -> null;

    assertTimeoutPreemptively(PROMPTLY, () -> {
      npe(() -> cache.put(null, "v"));
      npe(() -> cache.put("n1", null));
      npe(() -> cache.get(null));
      npe(() -> cache.remove(null));
      npe(() -> cache.remove("n1", null));
      npe(() -> cache.remove(null, "v"));
      npe(() -> cache.containsKey(null));
      npe(() -> cache.putAll(null));
      npe(() -> cache.putAll(nullValue));
      npe(() -> cache.putAll(nullKey));
      npe(() -> cache.getAll(null));
      npe(() -> cache.getAll(withNull));
      npe(() -> cache.putIfAbsent(null, "v"));
      npe(() -> cache.putIfAbsent("n1", null));
      npe(() -> cache.getAndPut("n1", null));
      npe(() -> cache.getAndRemove(null));
      npe(() -> cache.replace("n1", null));
      npe(() -> cache.replace("n1", "a", null));
      npe(() -> cache.replace("n1", null, "b"));
      npe(() -> cache.getAndReplace(null, "v"));
      npe(() -> cache.removeAll(withNull));
      npe(() -> cache.invoke(null, noop));
      npe(() -> cache.invoke("n1", null));
      npe(() -> cache.invokeAll(withNull, noop));
    });
    assertFalse(cache.containsKey("n1"), "a rejected putAll stored none of its entries");
    assertFalse(cache.containsKey("n2"));
  }

  // ------------------------------------------------------------------ not serializable

  @Test
  void aValueHoldingALiveThreadIsACacheExceptionNamingItsClass() {
    assertNotSerializable(new HoldsAThread(), HoldsAThread.class.getName(), "thread-holder");
  }

  @Test
  void aValueHoldingASocketIsACacheExceptionNamingItsClass() {
    assertNotSerializable(new HoldsASocket(), HoldsASocket.class.getName(), "socket-holder");
  }

  @Test
  void aKeyKryoCannotSerializeIsACacheExceptionNamingItsClass() {
    HoldsAThread key = new HoldsAThread();
    for (Executable op : List.<Executable>of(() -> cache.put(key, "v"), () -> cache.get(key),
        () -> cache.containsKey(key), () -> cache.remove(key))) {
      CacheException e = assertTimeoutPreemptively(PROMPTLY, () -> assertThrows(CacheException.class, op));
      assertTrue(e.getMessage().contains(HoldsAThread.class.getName()), e.getMessage());
    }
  }

  @Test
  void aBareSocketValueIsACacheExceptionNamingItsClass() throws Exception {
    // kryo fails on java.net.Socket itself, not on a field of a class of ours
    try (java.net.Socket socket = new java.net.Socket()) {
      assertNotSerializable(socket, "java.net.Socket", "bare-socket");
    }
  }

  @Test
  void aNonSerializableLambdaIsRejectedAtPutNotStoredUnreadable() {
    // kryo writes a lambda's hidden class by name, and no JVM (not even this one) can load it back
    Runnable lambda = () -> { };
    assertNotSerializable(lambda, lambda.getClass().getName(), "lambda");
  }

  // ------------------------------------------------------------------ foreign and corrupt items

  @Test
  void anotherClientsBytesUnderOurKeyReadAsAMissAndAreOverwritten() throws Exception {
    String mkey = Fixtures.memcachedKey(manager, "c", "foreign");
    Fixtures.rawSetEverywhere(cluster, mkey, 0, "a PHP session, not ours".getBytes(StandardCharsets.US_ASCII));
    assertMissThenWritable("foreign");

    Fixtures.rawSetEverywhere(cluster, mkey, 0, "again".getBytes(StandardCharsets.US_ASCII));
    assertTimeoutPreemptively(PROMPTLY, () -> {
      cache.put("foreign", "put over it");
      assertEquals("put over it", cache.get("foreign"));
    });
    Fixtures.rawSetEverywhere(cluster, mkey, 0, "and again".getBytes(StandardCharsets.US_ASCII));
    assertTimeoutPreemptively(PROMPTLY, () -> {
      Object result = cache.invoke("foreign", (entry, args) -> {
        assertFalse(entry.exists(), "a processor sees a foreign item as absent");
        entry.setValue(1L);
        return (Object) "created";
      });
      assertEquals("created", result);
      assertEquals((Object) 1L, cache.get("foreign"));
    });
  }

  @Test
  void ourFlagsOnAGarbageItemReadAsAMissAndAreOverwritten() throws Exception {
    String mkey = Fixtures.memcachedKey(manager, "c", "garbage");
    Fixtures.rawSetEverywhere(cluster, mkey, EnvelopeCodec.FLAGS, "\u00c7 not an envelope".getBytes(StandardCharsets.ISO_8859_1));
    assertMissThenWritable("garbage");
  }

  @Test
  void aTruncatedEnvelopeReadsAsAMissAndIsOverwritten() throws Exception {
    byte[] good = EnvelopeCodec.encode(Fixtures.keyBytes("truncated"), Fixtures.kryo("value"), Long.MAX_VALUE, 1);
    String mkey = Fixtures.memcachedKey(manager, "c", "truncated");
    Fixtures.rawSetEverywhere(cluster, mkey, EnvelopeCodec.FLAGS, Arrays.copyOf(good, good.length - 3));
    assertMissThenWritable("truncated");
  }

  @Test
  void aCorruptedEnvelopeReadsAsAMissAndIsOverwritten() throws Exception {
    byte[] bad = EnvelopeCodec.encode(Fixtures.keyBytes("corrupt"), Fixtures.kryo("value"), Long.MAX_VALUE, 1);
    bad[bad.length - 6] ^= 0x01; // one bit of the value
    String mkey = Fixtures.memcachedKey(manager, "c", "corrupt");
    Fixtures.rawSetEverywhere(cluster, mkey, EnvelopeCodec.FLAGS, bad);
    assertMissThenWritable("corrupt");
  }

  @Test
  void anEntryWhoseValueCannotBeDeserializedIsAMissOrACacheExceptionNeverAnotherError() throws Exception {
    // a well-formed entry (right key, valid checksum) whose value names a class this JVM cannot load,
    // as an entry written by a JVM with other classes would
    byte[] unloadable = renamed(Fixtures.kryo(new Unloadable()), "Unloadabl", "Xnloadabl");
    byte[] entry = EnvelopeCodec.encode(Fixtures.keyBytes("unloadable"), unloadable, Long.MAX_VALUE, 1);
    Fixtures.rawSetEverywhere(cluster, Fixtures.memcachedKey(manager, "c", "unloadable"), EnvelopeCodec.FLAGS, entry);

    try {
      assertTimeoutPreemptively(PROMPTLY, () -> {
        missOrCacheException("get", () -> assertNull(cache.get("unloadable"),
            "an unreadable value must not come back as something else"));
        cache.put("readable", "fine");
        missOrCacheException("iteration", () -> {
          for (Cache.Entry<Object, Object> e : cache) {
            assertFalse("unloadable".equals(e.getKey()), "iteration skips what it cannot read");
          }
        });
        cache.put("unloadable", "overwritten");
        assertEquals("overwritten", cache.get("unloadable"));
      });
    } finally {
      cache.remove("unloadable");
      cache.remove("readable");
    }
  }

  /** A class whose serialized name is then changed to one that no JVM can load. */
  static final class Unloadable implements java.io.Serializable {
    int field = 1;
  }

  private static byte[] renamed(byte[] serialized, String from, String to) {
    byte[] search = from.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (int i = 0; i + search.length <= serialized.length; i++) {
      if (java.util.Arrays.equals(serialized, i, i + search.length, search, 0, search.length)) {
        byte[] result = serialized.clone();
        System.arraycopy(to.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, result, i, search.length);
        return result;
      }
    }
    throw new AssertionError(from + " not found in the serialized bytes");
  }

  /** Runs a read that may return a miss or fail with a CacheException, but nothing else. */
  private static void missOrCacheException(String what, Runnable read) {
    try {
      read.run();
    } catch (CacheException clearFailure) {
      // acceptable: JCache reports storage problems as CacheException
    } catch (RuntimeException e) {
      fail(what + " of an undeserializable entry threw " + e.getClass().getName()
          + ", which is not a javax.cache.CacheException: " + e.getMessage(), e);
    }
  }

  // ------------------------------------------------------------------ helpers

  private static void npe(Executable op) {
    assertThrows(NullPointerException.class, op);
  }

  private static void assertNotSerializable(Object value, String className, String key) {
    try {
      CacheException e = assertTimeoutPreemptively(PROMPTLY,
          () -> assertThrows(CacheException.class, () -> cache.put(key, value),
              "put of a " + className + " must be refused with a CacheException"));
      assertTrue(e.getMessage().contains(className), "the message names " + className + ": " + e.getMessage());
      assertTimeoutPreemptively(PROMPTLY, () -> assertNull(cache.get(key), "nothing was stored"));
      // the same value is refused again: the pooled kryo instances were not left in a bad state
      assertThrows(CacheException.class, () -> cache.putIfAbsent(key, value));
    } finally {
      cache.remove(key); // should there be something, it must not disturb the other tests
    }
  }

  /** A key holding someone else's bytes reads as absent everywhere; conditional writes replace it. */
  private static void assertMissThenWritable(String key) {
    assertTimeoutPreemptively(PROMPTLY, () -> {
      assertNull(cache.get(key));
      assertFalse(cache.containsKey(key));
      assertTrue(cache.getAll(Set.of(key)).isEmpty());
      for (Cache.Entry<Object, Object> e : cache) {
        assertFalse(key.equals(e.getKey()), "the iterator skips it");
      }
      assertFalse(cache.replace(key, "x"), "nothing to replace");
      assertNull(cache.getAndRemove(key));
      assertTrue(cache.putIfAbsent(key, "first"), "absent, so putIfAbsent stores over the item");
      assertEquals("first", cache.get(key));
      assertTrue(cache.replace(key, "first", "second"));
      assertEquals("second", cache.get(key));
      cache.put(key, "third");
      assertEquals("third", cache.get(key));
      assertTrue(cache.remove(key));
    });
  }

  /** Kryo's field serializer cannot open java.lang.Thread on Java 17. */
  static final class HoldsAThread {
    final Thread thread = Thread.currentThread();
  }

  /** Nor java.net.Socket. */
  static final class HoldsASocket {
    final java.net.Socket socket = new java.net.Socket();
  }
}
