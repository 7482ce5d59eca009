package io.memjcache.spring.boot;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.Cacheable;

/** A service whose results Spring caches in the {@code books} cache; counts the real calls. */
public class Library {

  private final AtomicInteger calls = new AtomicInteger();

  @Cacheable("books")
  public String title(String isbn) {
    calls.incrementAndGet();
    return "title of " + isbn;
  }

  /** How many calls were not answered from the cache (a method: the bean is a caching proxy). */
  public int calls() {
    return calls.get();
  }
}
