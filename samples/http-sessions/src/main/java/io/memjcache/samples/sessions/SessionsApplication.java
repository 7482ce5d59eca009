package io.memjcache.samples.sessions;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.session.MapSession;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;

/**
 * A web application whose HTTP sessions live on a memcached cluster, so that any instance behind a
 * load balancer can serve any user, and a dead memcached node logs nobody out.
 */
@SpringBootApplication
@EnableSpringHttpSession
public class SessionsApplication {

  /** The provider's settings; each is read from Spring's environment when set there. */
  static final List<String> MEMJCACHE_SETTINGS = List.of("servers", "backupServers", "copies",
      "operationTimeoutMillis", "retryIntervalMillis", "namespace", "secretEnv", "secretFile",
      "username", "passwordEnv", "passwordFile", "allowedClasses");

  public static void main(String[] args) {
    SpringApplication.run(SessionsApplication.class, args);
  }

  /**
   * memjcache's cache manager, with the {@code memjcache.*} settings of application.properties; an
   * empty value clears a setting (as {@code --memjcache.secretEnv=} to use a secret file instead).
   */
  @Bean(destroyMethod = "close")
  CacheManager sessionCacheManager(Environment environment,
      @Value("${sessions.cache-manager-uri}") URI uri) {
    Properties settings = new Properties();
    MEMJCACHE_SETTINGS.forEach(name -> {
      String value = environment.getProperty("memjcache." + name);
      if (value != null && !value.isEmpty()) {
        settings.setProperty("memjcache." + name, value);
      }
    });
    return Caching.getCachingProvider("io.memjcache.MemcachedCachingProvider")
        .getCacheManager(uri, getClass().getClassLoader(), settings);
  }

  /** Spring Session's store: picked up by {@code @EnableSpringHttpSession}. */
  @Bean
  JCacheSessionRepository sessionRepository(CacheManager sessionCacheManager,
      @Value("${server.servlet.session.timeout:30m}") Duration timeout) {
    Cache<String, MapSession> cache = sessionCacheManager.getCache("sessions", String.class, MapSession.class);
    if (cache == null) {
      cache = sessionCacheManager.createCache("sessions", JCacheSessionRepository.cacheConfiguration(timeout));
    }
    return new JCacheSessionRepository(cache, timeout);
  }
}
