package io.memjcache.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the {@code memcached} executable; a missing binary is an error that says how to install it. */
public final class MemcachedBinary {

  /** Environment variable (or system property {@code memjcache.memcached}) naming the binary. */
  public static final String ENV = "MEMCACHED_BIN";

  private MemcachedBinary() {}

  /** Returns the path of the memcached binary, or throws naming every place that was searched. */
  public static Path locate() {
    List<Path> candidates = new ArrayList<>();
    String explicit = System.getProperty("memjcache.memcached", System.getenv(ENV));
    if (explicit != null && !explicit.isBlank()) {
      // an explicit choice that does not work is an error, not a reason to use another binary
      if (!Files.isExecutable(Path.of(explicit))) {
        throw new IllegalStateException(ENV + " / memjcache.memcached names " + explicit
            + ", which is not an executable file");
      }
      return Path.of(explicit);
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir, "memcached"));
      }
    }
    candidates.add(Path.of("/usr/bin/memcached"));
    candidates.add(Path.of("/usr/local/bin/memcached"));
    return locateIn(candidates);
  }

  /** Returns the first executable candidate, or throws naming them all and how to install one. */
  static Path locateIn(List<Path> candidates) {
    for (Path candidate : candidates) {
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("No memcached binary found (searched " + candidates
        + "). Install it with 'sudo apt-get update && sudo apt-get install -y memcached'"
        + " (Debian/Ubuntu) or point " + ENV + " at the executable.");
  }
}
