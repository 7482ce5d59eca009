package io.memjcache.samples.springboot;

import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.cache.JCachePropertiesCustomizer;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A Spring Boot application whose {@code @Cacheable} results live on a memcached cluster.
 *
 * <p>Spring Boot's own JCache support does the wiring (see {@code application.properties}):
 * {@code spring.cache.jcache.provider} picks memjcache, {@code spring.cache.cache-names} creates the
 * caches with the {@link #cacheConfiguration()} below. The one bean a user adds passes the
 * {@code memjcache.*} settings from Spring's environment (application.properties, environment
 * variables such as {@code MEMJCACHE_SERVERS}, {@code --memjcache.servers=...}) to the cache manager.
 *
 * <p>Run from the command line, it looks up the ISBNs given as arguments and prints how many of
 * those calls reached the catalog in this JVM: run it twice, and the second run is served from
 * memcached. {@code --refresh=ISBN} evicts a book first.
 */
@SpringBootApplication
@EnableCaching
public class BookshopApplication {

  /** The settings the provider knows; each is read from Spring's environment when set there. */
  static final List<String> MEMJCACHE_SETTINGS = List.of("servers", "backupServers", "copies",
      "operationTimeoutMillis", "retryIntervalMillis", "namespace", "allowedClasses");

  public static void main(String[] args) {
    SpringApplication.run(BookshopApplication.class, args);
  }

  /** Hands {@code memjcache.*} from application.properties (or the environment) to the provider. */
  @Bean
  JCachePropertiesCustomizer memjcacheSettings(Environment environment) {
    return properties -> MEMJCACHE_SETTINGS.forEach(name -> {
      String value = environment.getProperty("memjcache." + name);
      if (value != null) {
        properties.setProperty("memjcache." + name, value);
      }
    });
  }

  /** The configuration of every cache named in {@code spring.cache.cache-names}. */
  @Bean
  Configuration<Object, Object> cacheConfiguration() {
    return new MutableConfiguration<>()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 10)))
        .setStatisticsEnabled(true);
  }

  /** The command-line part: {@code [--refresh=ISBN]... ISBN...}. */
  @Bean
  ApplicationRunner lookups(BookService books) {
    return (ApplicationArguments args) -> {
      List<String> refresh = args.getOptionValues("refresh");
      if (refresh != null) {
        refresh.forEach(isbn -> {
          books.refresh(isbn);
          System.out.println("refreshed " + isbn);
        });
      }
      for (String isbn : args.getNonOptionArgs()) {
        Book book = books.find(isbn);
        System.out.println("lookup " + isbn + " -> " + (book == null ? "unknown" : book.title())
            + " (catalog lookups in this JVM: " + books.lookups() + ")");
      }
    };
  }
}
