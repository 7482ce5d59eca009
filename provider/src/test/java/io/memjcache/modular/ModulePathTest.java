package io.memjcache.modular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.RealMemcached;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The provider as a named module: a JVM with the provider and its runtime dependencies on the
 * module path (not the class path, where every other test runs) finds it through {@code
 * Caching.getCachingProvider()}, and a put and a get reach real memcached servers. Fails when the
 * descriptor lacks a {@code requires}, {@code uses} or {@code provides} that running needs.
 */
@RealMemcached
class ModulePathTest {

  /** The jars of the provider's runtime dependencies (kryo's own included), by file name prefix. */
  private static final List<String> DEPENDENCIES = List.of("cache-api-", "jspecify-", "spymemcached-",
      "kryo-", "minlog-", "reflectasm-", "objenesis-");

  @Test
  void aModularApplicationFindsTheProviderAndStoresThroughIt() throws Exception {
    try (MemcachedCluster cluster = MemcachedCluster.start(2)) {
      Map<String, String> report = runProbe(cluster.servers());
      assertEquals("io.memjcache.MemcachedCachingProvider", report.get("provider"), report.toString());
      assertEquals("io.memjcache", report.get("module"), "loaded from the named module: " + report);
      assertEquals("stored on the module path", report.get("text"), report.toString());
      assertEquals("[1, 2, 3]", report.get("list"), report.toString());
    }
  }

  private static Map<String, String> runProbe(String servers) throws Exception {
    Path stderr = Files.createTempFile("module-path-probe", ".stderr");
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.net.preferIPv4Stack=true", "--module-path", modulePath(), "--add-modules", "io.memjcache",
        "-cp", probeClasses(), ModulePathProbe.class.getName(), servers);
    Process probe = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    try {
      assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish in 60 s");
      Map<String, String> report = new HashMap<>();
      new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(line -> line.startsWith("@"))
          .forEach(line -> report.put(line.substring(1).split(" ", 2)[0],
              line.contains(" ") ? line.substring(line.indexOf(' ') + 1) : ""));
      assertTrue(probe.exitValue() == 0 && report.containsKey("done"), "the probe failed (exit "
          + probe.exitValue() + ", report " + report + "): " + Files.readString(stderr, StandardCharsets.UTF_8));
      return report;
    } finally {
      probe.destroyForcibly();
      probe.waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(stderr);
    }
  }

  /** The provider's compiled classes (with module-info.class) and its dependencies' jars. */
  private static String modulePath() throws URISyntaxException {
    List<String> path = new ArrayList<>();
    path.add(Path.of(io.memjcache.MemcachedCachingProvider.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI()).toString());
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (name.endsWith(".jar") && DEPENDENCIES.stream().anyMatch(name::startsWith)) {
        path.add(entry);
      }
    }
    assertEquals(DEPENDENCIES.size() + 1, path.size(), "a dependency jar is missing: " + path);
    return String.join(File.pathSeparator, path);
  }

  /** The test classes, where the probe lives, outside the module in the unnamed one. */
  private static String probeClasses() throws URISyntaxException {
    return Path.of(ModulePathProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
