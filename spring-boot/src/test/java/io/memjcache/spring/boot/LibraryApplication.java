package io.memjcache.spring.boot;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

/** The application under test: no memjcache bean of its own, only configuration. */
@SpringBootApplication
@EnableCaching
public class LibraryApplication {

  @Bean
  Library library() {
    return new Library();
  }
}
