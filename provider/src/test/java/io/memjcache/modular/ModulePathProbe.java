package io.memjcache.modular;

import java.net.URI;
import java.util.List;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;

/**
 * Run by {@link ModulePathTest} in a JVM whose module path holds the provider and its dependencies:
 * finds the provider as an application would and stores a value through it. Prints {@code @name
 * value} lines; {@code @done} last.
 */
public final class ModulePathProbe {

  private ModulePathProbe() {}

  public static void main(String[] args) {
    Properties props = new Properties();
    props.setProperty("memjcache.servers", args[0]);
    CachingProvider provider = Caching.getCachingProvider();
    System.out.println("@provider " + provider.getClass().getName());
    System.out.println("@module " + provider.getClass().getModule().getName());
    try (CacheManager manager = provider.getCacheManager(URI.create("memjcache:modular"),
        ModulePathProbe.class.getClassLoader(), props)) {
      Cache<String, Object> cache = manager.createCache("probe", new MutableConfiguration<>());
      cache.put("text", "stored on the module path");
      cache.put("list", List.of(1, 2, 3));
      System.out.println("@text " + cache.get("text"));
      System.out.println("@list " + cache.get("list"));
    } finally {
      provider.close();
    }
    System.out.println("@done");
  }
}
