package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.Attacker.Writer;
import io.memjcache.testkit.RealMemcached;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DESIGN invariant 8: stored bytes are untrusted input. A hostile or broken item never allocates,
 * recurses or works without a bound, never comes back as a wrong value, and is a miss for that entry
 * alone in every read path; it is deleted and counted. Each case is a finding of issue 12.
 */
@RealMemcached
class HostileBytesTest {

  static final Duration PROMPTLY = Duration.ofSeconds(10);

  @RegisterExtension
  static final CacheOnCluster on = new CacheOnCluster("hostile:bytes");

  private static String plant(Object key, byte[] value) throws Exception {
    return Attacker.plant(on.cluster(), on.manager(), "c", key, value);
  }

  private static String plant(String cacheName, Object key, byte[] value) throws Exception {
    return Attacker.plant(on.cluster(), on.manager(), cacheName, key, value);
  }

  private static void assertMissAndDeleted(String key, byte[] value) throws Exception {
    String mkey = plant(key, value);
    assertTimeoutPreemptively(PROMPTLY, () -> assertNull(on.cache().get(key), key + " is a miss"));
    assertTrue(Attacker.goneEverywhere(on.cluster(), mkey), key + " is deleted");
  }

  private static ArrayList<Object> listOf(Object... elements) {
    return new ArrayList<>(Arrays.asList(elements));
  }

  /** A value of one element and the same with two, for each container whose length kryo stores. */
  private static Map<String, Supplier<Object[]>> containers() {
    Map<String, Supplier<Object[]>> c = new HashMap<>();
    c.put("ArrayList", () -> new Object[] {listOf("x"), listOf("x", "x")});
    c.put("HashMap", () -> new Object[] {new HashMap<>(Map.of(1, 1)), new HashMap<>(Map.of(1, 1, 2, 1))});
    c.put("byte[]", () -> new Object[] {new byte[] {7}, new byte[] {7, 7}});
    c.put("int[]", () -> new Object[] {new int[] {7}, new int[] {7, 7}});
    c.put("Object[]", () -> new Object[] {new Object[] {"x"}, new Object[] {"x", "x"}});
    c.put("String[]", () -> new Object[] {new String[] {"x"}, new String[] {"x", "x"}});
    return c;
  }

  @Test
  void aLengthPrefixOf2To31IsAMissNotAnOutOfMemoryError() throws Exception {
    for (Writer w : Attacker.writers()) {
      for (Map.Entry<String, Supplier<Object[]>> c : containers().entrySet()) {
        Object[] oneAndTwo = c.getValue().get();
        byte[] bomb = Attacker.claimingLength(w.bytes(oneAndTwo[0]), w.bytes(oneAndTwo[1]), Integer.MAX_VALUE);
        assertMissAndDeleted("length-" + c.getKey() + "-" + w, bomb);
      }
    }
  }

  @Test
  void aHundredThousandNestedListsAreAMissNotAStackOverflowError() throws Exception {
    for (Writer w : Attacker.writers()) {
      byte[] one = w.bytes(listOf("x"));
      byte[] two = w.bytes(listOf(listOf("x")));
      assertArrayEquals(w.bytes(listOf(listOf(listOf("x")))), Attacker.nested(one, two, 3),
          "the forged nesting is what the writer itself writes");
      assertMissAndDeleted("nested-" + w, Attacker.nested(one, two, 100_000));
    }
  }

  @Test
  void nestedSetsSharingReferencesAreAMissWithinBoundedTime() throws Exception {
    // each level's two sets hold both sets of the next: hashing them all is 2^50 work, in a graph
    // shallow enough for the depth bound to let it through
    Set<Object> root = new HashSet<>();
    Set<Object> s1 = root;
    Set<Object> s2 = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      Set<Object> t1 = new HashSet<>();
      Set<Object> t2 = new HashSet<>();
      t1.add("different");
      s1.add(t1);
      s1.add(t2);
      s2.add(t1);
      s2.add(t2);
      s1 = t1;
      s2 = t2;
    }
    // only a writer with references can express the sharing; the provider's format has none
    assertMissAndDeleted("set-bomb", Attacker.stockKryoBytes(root));
  }

  @Test
  void aTruncatedValueIsAMissInEveryReadAndIsDeleted() throws Exception {
    byte[] good = Fixtures.kryo(listOf("a", "b", "c"));
    byte[] truncated = Arrays.copyOf(good, good.length - 2);
    long foundBefore = badEntries("Found");
    long deletedBefore = badEntries("Deleted");

    assertMissAndDeleted("truncated", truncated);
    String mkey = plant("truncated", truncated);
    assertEquals(Map.of(), on.cache().getAll(Set.of("truncated")));
    assertTrue(Attacker.goneEverywhere(on.cluster(), mkey), "deleted by getAll");
    plant("truncated", truncated);
    assertFalse(on.cache().<Boolean>invoke("truncated", (e, args) -> e.exists()), "invoke sees no entry");
    assertFalse(on.cache().containsKey("truncated"));
    plant("truncated", truncated);
    assertFalse(on.cache().replace("truncated", "new"), "nothing to replace");
    assertTrue(Attacker.goneEverywhere(on.cluster(), mkey), "deleted by replace");
    assertTrue(on.cache().putIfAbsent("truncated", "fresh"), "the key is free for a good value");
    assertEquals("fresh", on.cache().get("truncated"));
    on.cache().remove("truncated");

    assertTrue(badEntries("Found") >= foundBefore + 4, "counted in JMX");
    assertTrue(badEntries("Deleted") >= deletedBefore + 4, "deletions counted in JMX");
  }

  private static long badEntries(String attribute) throws Exception {
    return (Long) ManagementFactory.getPlatformMBeanServer()
        .getAttribute(new ObjectName("io.memjcache:type=BadEntries"), attribute);
  }

  @Test
  void oneBadEntryAmongGoodOnesSpoilsNeitherGetAllNorIterationNorRemoveAll() throws Exception {
    Cache<Object, Object> mixed = on.manager().createCache("mixed", new MutableConfiguration<>());
    Map<Object, Object> good = Map.of("g1", "v1", "g2", "v2", "g3", "v3");
    byte[] list = Fixtures.kryo(listOf("a", "b", "c"));
    List<String> planted = new ArrayList<>();
    Runnable plantBad = () -> {
      try {
        planted.add(plant("mixed", "bad-truncated", Arrays.copyOf(list, list.length - 2)));
        planted.add(plant("mixed", "bad-nested", Attacker.nested(Fixtures.kryo(listOf("x")),
            Fixtures.kryo(listOf(listOf("x"))), 100_000)));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    mixed.putAll(good);
    plantBad.run();
    Set<Object> asked = new LinkedHashSet<>(good.keySet());
    asked.addAll(Set.of("bad-truncated", "bad-nested"));
    assertEquals(good, mixed.getAll(asked));

    plantBad.run();
    Map<Object, Object> iterated = new HashMap<>();
    for (Cache.Entry<Object, Object> e : mixed) {
      iterated.put(e.getKey(), e.getValue());
    }
    assertEquals(good, iterated);

    plantBad.run();
    mixed.removeAll();
    assertFalse(mixed.iterator().hasNext(), "the good entries are removed");
    for (String mkey : planted) {
      assertTrue(Attacker.goneEverywhere(on.cluster(), mkey), mkey + " is gone");
    }
  }

  @Test
  void randomlyDamagedValuesAreAMissOrExactlyWhatTheirBytesSay() throws Exception {
    Random random = new Random(12);
    List<Object> originals = List.of("hello", 42, 123_456_789_012L, listOf("a", "b"), new int[] {1, 2, 3},
        new BigDecimal("1.50"), UUID.fromString("00000000-0000-0001-0000-000000000002"), listOf(1, listOf("x")),
        "ünïcödé");
    for (int i = 0; i < 300; i++) {
      Object original = originals.get(i % originals.size());
      byte[] damaged = damage(Fixtures.kryo(original), random);
      String key = "random-" + i;
      plant(key, damaged);
      Object read = assertTimeoutPreemptively(PROMPTLY, () -> on.cache().get(key));
      on.cache().remove(key);
      if (read != null) {
        // what the bytes encode; or the original value, when only a byte kryo reads loosely changed
        // (a boolean is "== 1"): then its bytes were still consumed exactly
        byte[] again = Fixtures.kryo(read);
        assertTrue(Arrays.equals(again, damaged)
                || again.length == damaged.length && Objects.deepEquals(read, original),
            key + " decoded into " + read + ", which is not what its bytes encode");
      }
    }
  }

  private static byte[] damage(byte[] bytes, Random random) {
    byte[] out = bytes.clone();
    switch (random.nextInt(4)) {
      case 0 -> out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
      case 1 -> out = Arrays.copyOf(out, random.nextInt(out.length));
      case 2 -> {
        out = Arrays.copyOf(out, out.length + 1 + random.nextInt(4));
        for (int i = bytes.length; i < out.length; i++) {
          out[i] = (byte) random.nextInt(256);
        }
      }
      default -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
    }
    return out;
  }

  @Test
  void aValueOfAnotherTypeThanTheCachesIsAMiss() throws Exception {
    Cache<String, String> strings = on.manager().createCache("strings",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    String mkey = Attacker.plant(on.cluster(), on.manager(), "strings", "n", Fixtures.kryo(42));
    Object read = strings.get("n");
    assertNull(read, "an Integer stored by another client is no String");
    assertTrue(Attacker.goneEverywhere(on.cluster(), mkey), "and is deleted");
    Attacker.plant(on.cluster(), on.manager(), "strings", "n", Fixtures.kryo(42));
    assertEquals(Map.of(), strings.getAll(Set.of("n")));
    Attacker.plant(on.cluster(), on.manager(), "strings", "n", Fixtures.kryo(42));
    assertFalse(strings.iterator().hasNext());
  }

  @Test
  void anObjectWrittenByAnotherVersionOfItsClassIsReadCorrectlyOrIsAMiss() throws Exception {
    byte[] v1 = Fixtures.kryo(new EvolvedA(1, 2));
    plant("removed-field", Attacker.renamed(v1, EvolvedA.class.getName(), EvolvedB.class.getName()));
    Object removed = on.cache().get("removed-field");
    if (removed != null) {
      assertEquals(2, ((EvolvedB) removed).second, "the remaining field keeps its value");
      assertEquals(0, ((EvolvedB) removed).zeta, "the new field is empty");
    }
    plant("added-field", Attacker.renamed(v1, EvolvedA.class.getName(), EvolvedC.class.getName()));
    Object added = assertTimeoutPreemptively(PROMPTLY, () -> on.cache().get("added-field"));
    if (added != null) {
      EvolvedC c = (EvolvedC) added;
      assertEquals(List.of(1, 2, 0), List.of(c.first, c.second, c.third), "old fields kept, the new one empty");
    }
  }
}
