package io.memjcache.modular;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memjcache.MemcachedCachingProvider;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public type of an exported package is on this allow-list (issue 15, a small public
 * surface): a new public type there fails the build until someone decides it is API, or makes it
 * package-private, or moves it to an internal package. That the exported types' signatures name no
 * internal type is javac's {@code -Xlint:exports}, an error under {@code -Werror}.
 */
class PublicSurfaceTest {

  /** Per exported package, the binary names (nested types after {@code $}) an application may use. */
  static final Map<String, Set<String>> ALLOWED = Map.of(
      "io.memjcache", Set.of("MemcachedCachingProvider", "MemcachedCacheManager", "MemcachedCache"),
      "io.memjcache.cluster.health", Set.of("ClusterMXBean", "NodeState"));

  @Test
  void theAllowListCoversExactlyTheExportedPackages() {
    assertEquals(ModuleDescriptorTest.API, ALLOWED.keySet());
  }

  @Test
  void everyPublicTypeOfAnExportedPackageIsAllowed() throws Exception {
    for (Map.Entry<String, Set<String>> allowed : ALLOWED.entrySet()) {
      assertEquals(new TreeSet<>(allowed.getValue()), publicTypesOf(allowed.getKey()),
          "the public types of " + allowed.getKey());
    }
  }

  /** The public types of a package as compiled, nested ones reachable only through public ones. */
  private static Set<String> publicTypesOf(String pkg) throws URISyntaxException, IOException,
      ClassNotFoundException {
    Path classes = Path.of(MemcachedCachingProvider.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.list(classes.resolve(pkg.replace('.', '/')))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = file.getFileName().toString().replace(".class", "");
        if (!name.equals("package-info") && isPublicAllTheWay(Class.forName(pkg + "." + name))) {
          names.add(name);
        }
      }
    }
    return names;
  }

  private static boolean isPublicAllTheWay(Class<?> type) {
    for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
      if (!Modifier.isPublic(t.getModifiers())) {
        return false;
      }
    }
    return !type.isAnonymousClass() && !type.isLocalClass();
  }
}
