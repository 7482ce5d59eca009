package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.Attacker.Writer;
import io.memjcache.gadgets.Gadgets;
import io.memjcache.gadgets.StaticA;
import io.memjcache.testkit.RealMemcached;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DESIGN invariant 8: reading an item never runs code of the writer's choosing. Each attack of
 * issue 12 is planted as a valid envelope over a plain socket, in stock kryo's format and in the
 * provider's own; reading it must be a miss, delete the item, and leave {@link Gadgets#EFFECTS} empty.
 */
@RealMemcached
class UntrustedCodeTest {

  @RegisterExtension
  static final CacheOnCluster on = new CacheOnCluster("untrusted:code");

  @BeforeEach
  void noEffectsYet() {
    Gadgets.EFFECTS.clear();
  }

  /** Plants the value bytes of every writer and reads each with get: a miss, and deleted. */
  private static void assertGetIsAHarmlessMiss(String name, Map<Writer, byte[]> values) throws Exception {
    Gadgets.EFFECTS.clear(); // building the payload may have run the gadget in the attacker's JVM
    for (Map.Entry<Writer, byte[]> v : values.entrySet()) {
      String key = name + "-" + v.getKey();
      String mkey = Attacker.plant(on.cluster(), on.manager(), "c", key, v.getValue());
      Object read = on.cache().get(key);
      assertEquals(Set.of(), Gadgets.EFFECTS, key + ": no attacker code ran");
      assertNull(read, key + " reads as a miss");
      assertTrue(Attacker.goneEverywhere(on.cluster(), mkey), key + ": the bad item is deleted");
    }
  }

  private static Map<Writer, byte[]> byEveryWriter(Object payload) {
    Map<Writer, byte[]> bytes = new HashMap<>();
    for (Writer w : Attacker.writers()) {
      bytes.put(w, w.bytes(payload));
    }
    return bytes;
  }

  static List<Object> readObjectChain() {
    List<Object> list = new ArrayList<>();
    list.add(new HashMap<>(Map.of("k", new AtomicReference<>(new Gadgets.ReadObject()))));
    return list;
  }

  @Test
  void aReadObjectGadgetInsideArrayListHashMapAtomicReferenceNeverRuns() throws Exception {
    assertGetIsAHarmlessMiss("readObject", byEveryWriter(readObjectChain()));
  }

  @Test
  void aHashMapKeysHashCodeNeverRuns() throws Exception {
    Map<Object, Object> map = new HashMap<>();
    map.put(new Gadgets.HashCode(1), "v");
    assertGetIsAHarmlessMiss("hashCode", byEveryWriter(map));
  }

  @Test
  void aTreeMapsComparatorNeverRuns() throws Exception {
    TreeMap<String, String> map = new TreeMap<>(new Gadgets.Compare());
    map.put("a", "1");
    map.put("b", "2");
    assertGetIsAHarmlessMiss("comparator", byEveryWriter(map));
  }

  @Test
  void aClassMerelyNamedInTheBytesIsNeverInitialised() throws Exception {
    Map<Writer, byte[]> renamed = new HashMap<>();
    for (Writer w : Attacker.writers()) {
      renamed.put(w, Attacker.renamed(w.bytes(new StaticA()), StaticA.class.getName(),
          "io.memjcache.gadgets.StaticB"));
    }
    assertGetIsAHarmlessMiss("static-initializer", renamed);
  }

  @Test
  void iterationNeverDeserializesAKeyOfAClassNotAllowed() throws Exception {
    on.cache().put("good", "value");
    List<String> planted = new ArrayList<>();
    for (Writer w : Attacker.writers()) {
      planted.add(Attacker.plantKey(on.cluster(), on.manager(), "c", "gadget-key-" + w, w.bytes(readObjectChain())));
    }
    Gadgets.EFFECTS.clear();
    Set<Object> keys = new HashSet<>();
    for (Cache.Entry<Object, Object> e : on.cache()) {
      keys.add(e.getKey());
    }
    assertEquals(Set.of("good"), keys, "the good entry, and only it");
    assertEquals(Set.of(), Gadgets.EFFECTS, "no attacker code ran");
    for (String mkey : planted) {
      assertTrue(Attacker.goneEverywhere(on.cluster(), mkey), mkey + " is deleted");
    }
    on.cache().remove("good");
  }

  @Test
  void aPutOfAClassNotAllowedFailsAtOnceNamingTheClassAndTheSetting() {
    CacheException e = assertThrows(CacheException.class, () -> on.cache().put("k", List.of(new Gadgets.HashCode(1))));
    assertTrue(e.getMessage().contains(Gadgets.HashCode.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains("memjcache.allowedClasses"), e.getMessage());
    assertNull(on.cache().get("k"), "nothing was stored");
    assertThrows(CacheException.class, () -> on.cache().put(new Gadgets.HashCode(2), "v"), "keys too");
  }

  @Test
  void aCachesConfiguredValueTypeIsReadableWithoutTheSetting() {
    Cache<String, Gadgets.HashCode> typed = on.manager().createCache("typed",
        new MutableConfiguration<String, Gadgets.HashCode>().setTypes(String.class, Gadgets.HashCode.class));
    typed.put("k", new Gadgets.HashCode(7));
    assertEquals(new Gadgets.HashCode(7), typed.get("k"));
    assertThrows(CacheException.class, () -> on.cache().put("k", new Gadgets.HashCode(7)),
        "another cache of the same manager does not allow it");
  }
}
