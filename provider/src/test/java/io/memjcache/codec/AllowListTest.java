package io.memjcache.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowListTest {

  private final AllowList defaults = AllowList.parse("");

  @Test
  void jdkValuesAndCollectionsAreAllowedByDefaultAndNothingElse() {
    for (String name : List.of("java.lang.String", "java.lang.Integer", "java.util.HashMap",
        "java.util.ImmutableCollections$ListN", "java.time.LocalDate", "java.time.zone.ZoneRules",
        "java.util.Collections$ReverseComparator", "int", "[I", "[[Ljava.lang.String;",
        "[Ljava.lang.Object;", "[Ljava.io.Serializable;")) {
      assertTrue(defaults.allows(name), name);
    }
    for (String name : List.of("java.util.concurrent.atomic.AtomicReference", "java.net.URL",
        "java.lang.Class", "java.lang.Thread", "java.util.PriorityQueue", "javax.management.BadAttributeValueExpException",
        "org.apache.commons.collections.functors.InvokerTransformer", "java.lang.Object", "java.io.Serializable",
        "[Ljava.util.concurrent.atomic.AtomicReference;", "[X", "com.example.Foo")) {
      assertFalse(defaults.allows(name), name);
    }
  }

  @Test
  void aClassNameAllowsThatClassAndItsNestedClassesOnly() {
    AllowList list = AllowList.parse("com.example.Cart");
    assertTrue(list.allows("com.example.Cart"));
    assertTrue(list.allows("com.example.Cart$Line"));
    assertTrue(list.allows("[Lcom.example.Cart;"));
    assertFalse(list.allows("com.example.CartX"));
    assertFalse(list.allows("com.example.Other"));
    assertFalse(list.allows("com.example.Cart.Sub"), "a package named like the class is not it");
  }

  @Test
  void aPackageStarIsThatPackageAndTwoStarsAddSubpackages() {
    AllowList one = AllowList.parse(" com.example.* ");
    assertTrue(one.allows("com.example.Foo"));
    assertTrue(one.allows("com.example.Foo$Bar"));
    assertFalse(one.allows("com.example.sub.Foo"));
    assertFalse(one.allows("com.examples.Foo"));
    AllowList tree = AllowList.parse("com.example.**,org.other.Thing");
    assertTrue(tree.allows("com.example.Foo"));
    assertTrue(tree.allows("com.example.a.b.Foo"));
    assertFalse(tree.allows("com.examples.Foo"));
    assertTrue(tree.allows("org.other.Thing"));
  }

  @Test
  void aCachesTypesAreAddedExactlyAndObjectAddsNothing() {
    AllowList list = defaults.with(List.of(AllowListTest.class, Object.class));
    assertTrue(list.allows(AllowListTest.class.getName()));
    assertFalse(list.allows("io.memjcache.codec.Other"));
    assertFalse(list.allows("java.lang.Object"));
    assertFalse(defaults.allows(AllowListTest.class.getName()), "the manager's list is unchanged");
  }

  @Test
  void aMalformedPatternIsAnErrorNamingTheSetting() {
    for (String bad : List.of("com..x", "com.example.*.Foo", "*", "com.ex ample", "1com.Foo", ".**")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AllowList.parse(bad), bad);
      assertTrue(e.getMessage().contains("memjcache.allowedClasses"), e.getMessage());
    }
  }

  @Test
  void theRefusalNamesTheClassAndTheSetting() {
    assertEquals("class a.B is not allowed to be deserialized; add it (or its package as com.example.* /"
        + " com.example.**) to memjcache.allowedClasses", new ClassNotAllowedException("a.B").getMessage());
  }
}
