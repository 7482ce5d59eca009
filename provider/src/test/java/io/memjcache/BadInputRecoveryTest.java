package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.memjcache.codec.EnvelopeCodec;
import io.memjcache.testkit.RealMemcached;
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
import javax.cache.processor.EntryProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * DESIGN invariant 7: bad input is a clear exception or a miss, never a hang, a wrong value, a node
 * marked down or a broken connection. After every case the cache still serves other keys within a
 * few seconds, and the cluster is still healthy. (Values over the server's item size limit: see
 * {@link ItemSizeLimitTest}.)
 */
@RealMemcached
class BadInputRecoveryTest {

  static final Duration PROMPTLY = Duration.ofSeconds(5);

  @RegisterExtension
  static final CacheOnCluster on = new CacheOnCluster("bad-input:recovery");

  @AfterEach
  void cacheStillServesOtherKeysAndNoNodeWasMarkedDown() {
    assertTimeoutPreemptively(PROMPTLY, () -> {
      on.cache().put("healthy", "yes");
      assertEquals("yes", on.cache().get("healthy"));
      assertEquals(Map.of("healthy", "yes"), on.cache().getAll(Set.of("healthy")));
      assertTrue(on.cache().replace("healthy", "yes", "still"));
      assertTrue(on.cache().remove("healthy"));
    });
    assertTrue(on.manager().cluster().isHealthy(), "every node UP: " + on.manager().cluster().getNodeStates());
    assertEquals(0, on.manager().cluster().getNodesMarkedDown(), "bad input never marks a node down");
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
      npe(() -> on.cache().put(null, "v"));
      npe(() -> on.cache().put("n1", null));
      npe(() -> on.cache().get(null));
      npe(() -> on.cache().remove(null));
      npe(() -> on.cache().remove("n1", null));
      npe(() -> on.cache().remove(null, "v"));
      npe(() -> on.cache().containsKey(null));
      npe(() -> on.cache().putAll(null));
      npe(() -> on.cache().putAll(nullValue));
      npe(() -> on.cache().putAll(nullKey));
      npe(() -> on.cache().getAll(null));
      npe(() -> on.cache().getAll(withNull));
      npe(() -> on.cache().putIfAbsent(null, "v"));
      npe(() -> on.cache().putIfAbsent("n1", null));
      npe(() -> on.cache().getAndPut("n1", null));
      npe(() -> on.cache().getAndRemove(null));
      npe(() -> on.cache().replace("n1", null));
      npe(() -> on.cache().replace("n1", "a", null));
      npe(() -> on.cache().replace("n1", null, "b"));
      npe(() -> on.cache().getAndReplace(null, "v"));
      npe(() -> on.cache().removeAll(withNull));
      npe(() -> on.cache().invoke(null, noop));
      npe(() -> on.cache().invoke("n1", null));
      npe(() -> on.cache().invokeAll(withNull, noop));
    });
    assertFalse(on.cache().containsKey("n1"), "a rejected putAll stored none of its entries");
    assertFalse(on.cache().containsKey("n2"));
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
    for (Executable op : List.<Executable>of(() -> on.cache().put(key, "v"), () -> on.cache().get(key),
        () -> on.cache().containsKey(key), () -> on.cache().remove(key))) {
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
    String mkey = Fixtures.memcachedKey(on.manager(), "c", "foreign");
    Fixtures.rawSetEverywhere(on.cluster(), mkey, 0, "a PHP session, not ours".getBytes(StandardCharsets.US_ASCII));
    assertMissThenWritable("foreign");

    Fixtures.rawSetEverywhere(on.cluster(), mkey, 0, "again".getBytes(StandardCharsets.US_ASCII));
    assertTimeoutPreemptively(PROMPTLY, () -> {
      on.cache().put("foreign", "put over it");
      assertEquals("put over it", on.cache().get("foreign"));
    });
    Fixtures.rawSetEverywhere(on.cluster(), mkey, 0, "and again".getBytes(StandardCharsets.US_ASCII));
    assertTimeoutPreemptively(PROMPTLY, () -> {
      Object result = on.cache().invoke("foreign", (entry, args) -> {
        assertFalse(entry.exists(), "a processor sees a foreign item as absent");
        entry.setValue(1L);
        return (Object) "created";
      });
      assertEquals("created", result);
      assertEquals((Object) 1L, on.cache().get("foreign"));
    });
  }

  @Test
  void ourFlagsOnAGarbageItemReadAsAMissAndAreOverwritten() throws Exception {
    String mkey = Fixtures.memcachedKey(on.manager(), "c", "garbage");
    Fixtures.rawSetEverywhere(on.cluster(), mkey, EnvelopeCodec.FLAGS, "\u00c7 not an envelope".getBytes(StandardCharsets.ISO_8859_1));
    assertMissThenWritable("garbage");
  }

  @Test
  void aTruncatedEnvelopeReadsAsAMissAndIsOverwritten() throws Exception {
    byte[] good = EnvelopeCodec.encode(Fixtures.keyBytes("truncated"), Fixtures.kryo("value"), Long.MAX_VALUE, 1);
    String mkey = Fixtures.memcachedKey(on.manager(), "c", "truncated");
    Fixtures.rawSetEverywhere(on.cluster(), mkey, EnvelopeCodec.FLAGS, Arrays.copyOf(good, good.length - 3));
    assertMissThenWritable("truncated");
  }

  @Test
  void aCorruptedEnvelopeReadsAsAMissAndIsOverwritten() throws Exception {
    byte[] bad = EnvelopeCodec.encode(Fixtures.keyBytes("corrupt"), Fixtures.kryo("value"), Long.MAX_VALUE, 1);
    bad[bad.length - 6] ^= 0x01; // one bit of the value
    String mkey = Fixtures.memcachedKey(on.manager(), "c", "corrupt");
    Fixtures.rawSetEverywhere(on.cluster(), mkey, EnvelopeCodec.FLAGS, bad);
    assertMissThenWritable("corrupt");
  }

  @Test
  void anEntryWhoseValueCannotBeDeserializedIsAMissOrACacheExceptionNeverAnotherError() throws Exception {
    // a well-formed entry (right key, valid checksum) whose value names a class this JVM cannot load,
    // as an entry written by a JVM with other classes would
    byte[] unloadable = renamed(Fixtures.kryo(new Unloadable()), "Unloadabl", "Xnloadabl");
    byte[] entry = EnvelopeCodec.encode(Fixtures.keyBytes("unloadable"), unloadable, Long.MAX_VALUE, 1);
    Fixtures.rawSetEverywhere(on.cluster(), Fixtures.memcachedKey(on.manager(), "c", "unloadable"), EnvelopeCodec.FLAGS, entry);

    try {
      assertTimeoutPreemptively(PROMPTLY, () -> {
        missOrCacheException("get", () -> assertNull(on.cache().get("unloadable"),
            "an unreadable value must not come back as something else"));
        on.cache().put("readable", "fine");
        missOrCacheException("iteration", () -> {
          for (Cache.Entry<Object, Object> e : on.cache()) {
            assertFalse("unloadable".equals(e.getKey()), "iteration skips what it cannot read");
          }
        });
        on.cache().put("unloadable", "overwritten");
        assertEquals("overwritten", on.cache().get("unloadable"));
      });
    } finally {
      on.cache().remove("unloadable");
      on.cache().remove("readable");
    }
  }

  /** A class whose serialized name is then changed to one that no JVM can load. */
  static final class Unloadable implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
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
          () -> assertThrows(CacheException.class, () -> on.cache().put(key, value),
              "put of a " + className + " must be refused with a CacheException"));
      assertTrue(e.getMessage().contains(className), "the message names " + className + ": " + e.getMessage());
      assertTimeoutPreemptively(PROMPTLY, () -> assertNull(on.cache().get(key), "nothing was stored"));
      // the same value is refused again: the pooled kryo instances were not left in a bad state
      assertThrows(CacheException.class, () -> on.cache().putIfAbsent(key, value));
    } finally {
      on.cache().remove(key); // should there be something, it must not disturb the other tests
    }
  }

  /** A key holding someone else's bytes reads as absent everywhere; conditional writes replace it. */
  private static void assertMissThenWritable(String key) {
    assertTimeoutPreemptively(PROMPTLY, () -> {
      assertNull(on.cache().get(key));
      assertFalse(on.cache().containsKey(key));
      assertTrue(on.cache().getAll(Set.of(key)).isEmpty());
      for (Cache.Entry<Object, Object> e : on.cache()) {
        assertFalse(key.equals(e.getKey()), "the iterator skips it");
      }
      assertFalse(on.cache().replace(key, "x"), "nothing to replace");
      assertNull(on.cache().getAndRemove(key));
      assertTrue(on.cache().putIfAbsent(key, "first"), "absent, so putIfAbsent stores over the item");
      assertEquals("first", on.cache().get(key));
      assertTrue(on.cache().replace(key, "first", "second"));
      assertEquals("second", on.cache().get(key));
      on.cache().put(key, "third");
      assertEquals("third", on.cache().get(key));
      assertTrue(on.cache().remove(key));
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
