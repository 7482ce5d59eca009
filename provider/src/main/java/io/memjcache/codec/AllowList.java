package io.memjcache.codec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The classes deserialization may instantiate, decided by name alone so that a class is checked
 * before it is loaded (a class merely named in stored bytes never runs its static initializer).
 *
 * <ul>
 *   <li>Always allowed: the JDK value and collection types listed in {@link #JDK}, the
 *       {@code java.time} package and the primitives.
 *   <li>Added by {@code memjcache.allowedClasses}: {@code com.example.Foo} (that class and its
 *       nested classes), {@code com.example.*} (the classes of that package),
 *       {@code com.example.**} (that package and its subpackages).
 *   <li>Added per cache: its configured key and value types ({@link #with}), exactly.
 *   <li>An array is allowed when its element type is, or is one of the JDK's general types
 *       ({@code Object[]}, {@code Serializable[]}...) whose elements are checked one by one.
 * </ul>
 */
public final class AllowList {

  /** The setting that adds classes; named in every refusal. */
  public static final String SETTING = "memjcache.allowedClasses";

  private static final String UTIL = "java.util.";

  /** JDK classes every cache may read: values, collections, and comparators without user code. */
  static final Set<String> JDK = Set.of(
      "boolean", "byte", "short", "char", "int", "long", "float", "double",
      "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Short",
      "java.lang.Character", "java.lang.Integer", "java.lang.Long", "java.lang.Float",
      "java.lang.Double", "java.lang.StringBuilder", "java.lang.StringBuffer",
      // abstract superclasses Java serialization describes along with their subclasses
      "java.lang.Number", "java.lang.Enum",
      "java.math.BigDecimal", "java.math.BigInteger", "java.math.RoundingMode",
      "java.net.URI", "java.sql.Date", "java.sql.Time", "java.sql.Timestamp",
      UTIL + "UUID", UTIL + "Date", UTIL + "Locale", UTIL + "Currency",
      UTIL + "ArrayList", UTIL + "LinkedList", UTIL + "HashMap", UTIL + "LinkedHashMap",
      UTIL + "TreeMap", UTIL + "HashSet", UTIL + "LinkedHashSet", UTIL + "TreeSet",
      UTIL + "ArrayDeque", UTIL + "Arrays$ArrayList",
      UTIL + "ImmutableCollections$List12", UTIL + "ImmutableCollections$ListN",
      UTIL + "ImmutableCollections$SubList", UTIL + "ImmutableCollections$Set12",
      UTIL + "ImmutableCollections$SetN", UTIL + "ImmutableCollections$Map1",
      UTIL + "ImmutableCollections$MapN",
      UTIL + "Collections$UnmodifiableCollection", UTIL + "Collections$UnmodifiableList",
      UTIL + "Collections$UnmodifiableRandomAccessList", UTIL + "Collections$UnmodifiableSet",
      UTIL + "Collections$UnmodifiableSortedSet", UTIL + "Collections$UnmodifiableNavigableSet",
      UTIL + "Collections$UnmodifiableMap", UTIL + "Collections$UnmodifiableSortedMap",
      UTIL + "Collections$UnmodifiableNavigableMap",
      UTIL + "Collections$EmptyList", UTIL + "Collections$EmptySet", UTIL + "Collections$EmptyMap",
      UTIL + "Collections$SingletonList", UTIL + "Collections$SingletonSet",
      UTIL + "Collections$SingletonMap",
      // the comparators a TreeMap/TreeSet may carry without running user code
      UTIL + "Collections$ReverseComparator", UTIL + "Comparators$NaturalOrderComparator",
      "java.lang.String$CaseInsensitiveComparator");

  private static final List<String> JDK_PACKAGES = List.of("java.time.");

  /**
   * Declared element types an array may have although no object is ever of exactly that class
   * (Hibernate caches {@code Serializable[]}): creating the array runs no code, and each element
   * is checked by its own class.
   */
  private static final Set<String> ARRAY_ELEMENTS = Set.of("java.lang.Object", "java.io.Serializable",
      "java.lang.Comparable", "java.lang.Number", "java.lang.CharSequence");

  private final Set<String> exact;
  private final List<String> packages; // "com.example." : classes directly in it
  private final List<String> subtrees; // "com.example." : it and every subpackage

  private AllowList(Set<String> exact, List<String> packages, List<String> subtrees) {
    this.exact = exact;
    this.packages = packages;
    this.subtrees = subtrees;
  }

  /** The JDK defaults plus the comma-separated patterns of {@link #SETTING}. */
  public static AllowList parse(String setting) {
    Set<String> exact = new HashSet<>(JDK);
    List<String> packages = new ArrayList<>();
    List<String> subtrees = new ArrayList<>(JDK_PACKAGES);
    for (String raw : setting == null ? new String[0] : setting.split(",")) {
      String pattern = raw.trim();
      if (pattern.isEmpty()) {
        continue;
      }
      if (pattern.endsWith(".**")) {
        subtrees.add(checked(pattern, pattern.substring(0, pattern.length() - 2)));
      } else if (pattern.endsWith(".*")) {
        packages.add(checked(pattern, pattern.substring(0, pattern.length() - 1)));
      } else {
        exact.add(checked(pattern, pattern));
      }
    }
    return new AllowList(Set.copyOf(exact), List.copyOf(packages), List.copyOf(subtrees));
  }

  private static String checked(String pattern, String name) {
    String body = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    for (String part : body.split("\\.", -1)) {
      if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0))
          || !part.chars().allMatch(c -> Character.isJavaIdentifierPart(c) || c == '$')) {
        throw new IllegalArgumentException(SETTING + ": '" + pattern
            + "' is not a class name, package.* or package.**");
      }
    }
    return name;
  }

  /** This list plus exactly the given classes (a cache's key and value types; Object adds nothing). */
  public AllowList with(Collection<Class<?>> types) {
    Set<String> more = new HashSet<>(exact);
    for (Class<?> type : types) {
      if (type != Object.class) {
        more.add(type.getName());
      }
    }
    return more.size() == exact.size() ? this : new AllowList(Set.copyOf(more), packages, subtrees);
  }

  /** Returns if the class of this binary name ({@link Class#getName()}) may be instantiated. */
  public boolean allows(String className) {
    String name = elementOf(className);
    if (name == null) {
      return false;
    }
    if (className.startsWith("[") && ARRAY_ELEMENTS.contains(name)) {
      return true;
    }
    if (exact.contains(name) || exact.contains(outermost(name))) {
      return true;
    }
    int dot = name.lastIndexOf('.');
    String pkg = dot < 0 ? "" : name.substring(0, dot + 1);
    for (String p : packages) {
      if (pkg.equals(p)) {
        return true;
      }
    }
    for (String p : subtrees) {
      if (pkg.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /** The element class of an array name ("[[Lcom.x.Foo;" -> "com.x.Foo", "[I" -> "int"). */
  private static @Nullable String elementOf(String name) {
    if (!name.startsWith("[")) {
      return name;
    }
    String e = name.replaceFirst("^\\[+", "");
    if (e.startsWith("L") && e.endsWith(";")) {
      return e.substring(1, e.length() - 1);
    }
    return switch (e) {
      case "Z" -> "boolean";
      case "B" -> "byte";
      case "S" -> "short";
      case "C" -> "char";
      case "I" -> "int";
      case "J" -> "long";
      case "F" -> "float";
      case "D" -> "double";
      default -> null;
    };
  }

  /** Nested classes ({@code Outer$Inner}, an enum constant's body) share their outer class's trust. */
  private String outermost(String name) {
    if (name.startsWith("java.")) {
      return name; // JDK classes are listed one by one
    }
    int dollar = name.indexOf('$');
    return dollar < 0 ? name : name.substring(0, dollar);
  }

  /** The refusal to report for a class. */
  static String refusal(String className) {
    return "class " + className + " is not allowed to be deserialized; add it (or its package as "
        + "com.example.* / com.example.**) to " + SETTING;
  }
}
