package io.memjcache.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.cache.configuration.Factory;
import javax.cache.expiry.ExpiryPolicy;
import org.jspecify.annotations.Nullable;

/**
 * The per-cache settings {@code memjcache.cache.<name>.<attribute>}, where {@code <name>} is a
 * cache name or a pattern in which {@code *} stands for any characters ({@code users-*}, or
 * {@code *} for every cache). Cache names may contain dots (Hibernate's region names do): the
 * attribute is what follows the last dot.
 *
 * <p>Guarantees: every attribute and value is checked when the settings are read, and an unknown
 * attribute, a malformed value or {@code storeByValue=false} is an {@link IllegalArgumentException}
 * naming the setting. For each attribute separately, an exact name beats every pattern, and a
 * pattern with more characters other than {@code *} beats one with fewer (equal ones: the first in
 * alphabetical order).
 */
public final class CacheDeclarations {

  public static final String PREFIX = Settings.PREFIX + "cache.";

  static final String EXPIRY = "expiry";
  static final String STATISTICS = "statistics";
  static final String MANAGEMENT = "management";
  static final String STORE_BY_VALUE = "storeByValue";

  /** Declarations by name or pattern, most specific first. */
  private final Map<String, Declaration> byName;

  private CacheDeclarations(Map<String, Declaration> byName) {
    this.byName = byName;
  }

  /** Reads every {@code memjcache.cache.*} entry of {@code settings}; other names are not looked at. */
  static CacheDeclarations parse(Properties settings) {
    Map<String, Declaration> found = new LinkedHashMap<>();
    for (String setting : new TreeSet<>(settings.stringPropertyNames())) {
      if (setting.startsWith(PREFIX)) {
        String rest = setting.substring(PREFIX.length());
        int dot = rest.lastIndexOf('.');
        if (dot <= 0) {
          throw new IllegalArgumentException(
              setting + ": per-cache settings are " + PREFIX + "<name>.<attribute>");
        }
        found.computeIfAbsent(rest.substring(0, dot), Declaration::new)
            .set(setting, rest.substring(dot + 1), settings.getProperty(setting));
      }
    }
    List<Declaration> ordered = new ArrayList<>(found.values());
    ordered.sort(Comparator.comparing(Declaration::isPattern)
        .thenComparing(Comparator.comparingInt(Declaration::literalLength).reversed())
        .thenComparing(d -> d.name));
    Map<String, Declaration> byName = new LinkedHashMap<>();
    ordered.forEach(d -> byName.put(d.name, d));
    return new CacheDeclarations(byName);
  }

  /** The caches declared by exact name (not by pattern), sorted: they exist once the manager opens. */
  public List<String> declaredNames() {
    return byName.values().stream().filter(d -> !d.isPattern()).map(d -> d.name).sorted().toList();
  }

  /** What the declarations matching {@code cacheName} say, attribute by attribute. */
  public CacheSettings forCache(String cacheName) {
    List<Declaration> matching =
        byName.values().stream().filter(d -> d.matches(cacheName)).toList();
    return new CacheSettings(first(matching, d -> d.expiry), first(matching, d -> d.statistics),
        first(matching, d -> d.management));
  }

  private static <T> Optional<T> first(List<Declaration> matching, Function<Declaration, T> attribute) {
    return matching.stream().map(attribute).filter(java.util.Objects::nonNull).findFirst();
  }

  /** The attributes one name or pattern sets; null where it sets nothing. */
  private static final class Declaration {
    final String name;
    final Pattern pattern;
    @Nullable Factory<? extends ExpiryPolicy> expiry;
    @Nullable Boolean statistics;
    @Nullable Boolean management;

    Declaration(String name) {
      this.name = name;
      this.pattern = Pattern.compile(Pattern.quote(name).replace("*", "\\E.*\\Q"));
    }

    boolean isPattern() {
      return name.indexOf('*') >= 0;
    }

    int literalLength() {
      return name.replace("*", "").length();
    }

    boolean matches(String cacheName) {
      return pattern.matcher(cacheName).matches();
    }

    void set(String setting, String attribute, String value) {
      switch (attribute) {
        case EXPIRY -> expiry = ExpirySetting.parse(setting, value);
        case STATISTICS -> statistics = bool(setting, value);
        case MANAGEMENT -> management = bool(setting, value);
        case STORE_BY_VALUE -> requireByValue(setting, value);
        default -> throw new IllegalArgumentException("unknown setting " + setting + "; a cache has "
            + List.of(EXPIRY, STATISTICS, MANAGEMENT, STORE_BY_VALUE));
      }
    }

    private static void requireByValue(String setting, String value) {
      if (!bool(setting, value)) {
        // entries cross the network as bytes, so a reference cannot be kept
        // (isSupported(STORE_BY_REFERENCE) is false)
        throw new IllegalArgumentException(setting + ": memcached stores bytes, so caches are "
            + "always store-by-value; store-by-reference is not supported");
      }
    }

    private static boolean bool(String setting, String value) {
      return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new IllegalArgumentException(setting + ": '" + value + "' is not true or false");
      };
    }
  }
}
