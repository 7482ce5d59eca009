package io.memjcache.modular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.MemcachedCachingProvider;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Provides;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provider's module descriptor as compiled (issue 15, a small public surface): it exports the
 * packages applications call and nothing else, opens none, and declares the services it offers
 * and looks up. A package exported by mistake, or one of these dropped, fails here; {@link
 * PublicSurfaceTest} holds the types of the exported packages.
 */
class ModuleDescriptorTest {

  /** The API: provider, manager and cache; the cluster's health. */
  static final Set<String> API = Set.of("io.memjcache", "io.memjcache.cluster.health");

  /** Every package no application calls. */
  static final Set<String> INTERNAL = Set.of("io.memjcache.cluster", "io.memjcache.codec",
      "io.memjcache.config", "io.memjcache.event", "io.memjcache.expiry", "io.memjcache.integration",
      "io.memjcache.logging", "io.memjcache.management", "io.memjcache.processor", "io.memjcache.security");

  private static ModuleDescriptor descriptor;

  @BeforeAll
  static void readCompiledDescriptor() throws URISyntaxException {
    Path classes = Path.of(MemcachedCachingProvider.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    descriptor = ModuleFinder.of(classes).find("io.memjcache")
        .orElseThrow(() -> new AssertionError("no module io.memjcache in " + classes))
        .descriptor();
  }

  @Test
  void exportsTheApiPackagesToEveryone() {
    assertEquals(new TreeSet<>(API), descriptor.exports().stream().filter(e -> !e.isQualified())
        .map(Exports::source).collect(Collectors.toCollection(TreeSet::new)));
  }

  @Test
  void everyPackageIsApiOrInternalAndNoInternalOneIsExportedToApplications() {
    Set<String> all = new TreeSet<>(API);
    all.addAll(INTERNAL);
    assertEquals(all, new TreeSet<>(descriptor.packages()), "a new package: decide whether it is API");
    // spymemcached alone reaches the cluster package: it creates the SpyLogger by reflection
    assertEquals(Set.of(new Export("io.memjcache.cluster", Set.of("spymemcached"))),
        descriptor.exports().stream().filter(Exports::isQualified).map(Export::of).collect(Collectors.toSet()));
    assertTrue(descriptor.opens().isEmpty(), descriptor.opens().toString());
    assertFalse(descriptor.isOpen(), "an open module opens every package to reflection");
  }

  @Test
  void offersTheCachingProviderAndItsLogRoute() {
    assertEquals(Set.of(
        new Service("javax.cache.spi.CachingProvider", List.of("io.memjcache.MemcachedCachingProvider")),
        new Service("io.memjcache.cluster.LogRoute", List.of("io.memjcache.logging.ClusterLogRoute"))),
        descriptor.provides().stream().map(Service::of).collect(Collectors.toSet()));
  }

  @Test
  void usesTheLogRouteTheClusterLooksUp() {
    // cluster.Loggers calls ServiceLoader.load(LogRoute.class): in a named module that throws unless declared
    assertEquals(Set.of("io.memjcache.cluster.LogRoute"), descriptor.uses());
  }

  private record Export(String source, Set<String> targets) {
    static Export of(Exports exports) {
      return new Export(exports.source(), exports.targets());
    }
  }

  private record Service(String service, List<String> providers) {
    static Service of(Provides provides) {
      return new Service(provides.service(), provides.providers());
    }
  }
}
