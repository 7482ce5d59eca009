package io.memjcache.samples.springboot;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * A slow book catalog in front of which Spring puts the {@code books} cache. Every call that
 * reaches the method body is counted: a call answered from memcached is not.
 */
@Service
public class BookService {

  private static final Map<String, Book> CATALOG = Map.of(
      "978-0134685991", new Book("978-0134685991", "Effective Java", "Joshua Bloch"),
      "978-0321349606", new Book("978-0321349606", "Java Concurrency in Practice", "Brian Goetz"),
      "978-1617294945", new Book("978-1617294945", "Spring in Action", "Craig Walls"));

  private final AtomicInteger lookups = new AtomicInteger();

  /** Looks a book up in the (slow) catalog; {@code null} for an unknown ISBN, which is cached too. */
  @Cacheable("books")
  public Book find(String isbn) {
    lookups.incrementAndGet();
    sleep(200); // what the database round trip would cost
    return CATALOG.get(isbn);
  }

  /** Drops the cached copy of one book, on every instance of the application. */
  @CacheEvict(cacheNames = "books", key = "#isbn")
  public void refresh(String isbn) {
  }

  /** How many calls reached the catalog in this JVM. */
  public int lookups() {
    return lookups.get();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
