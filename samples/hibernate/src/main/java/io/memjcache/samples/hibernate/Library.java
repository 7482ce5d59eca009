package io.memjcache.samples.hibernate;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.util.List;
import java.util.Map;
import org.hibernate.SessionFactory;

/**
 * The application's data access: plain Hibernate sessions, with nothing in the code about caching
 * but the annotations on the entities and one {@code setCacheable(true)}. Every setting that puts
 * the second-level cache on memcached is in {@code META-INF/persistence.xml}.
 */
public final class Library implements AutoCloseable {

  /**
   * The {@code memjcache.allowedClasses} of this application: Hibernate's cache entries and keys (set
   * in {@code memjcache.properties}, the file {@code hibernate.javax.cache.uri} names).
   */
  public static final String CACHED_CLASSES = "org.hibernate.**";

  /** What a reader sees of an author: their name and their books' titles, oldest first. */
  public record Shelf(String author, List<String> titles) {}

  private final SessionFactory sessions;

  /** Opens the {@code library} persistence unit, with {@code overrides} for its properties. */
  public Library(Map<String, ?> overrides) {
    EntityManagerFactory factory = Persistence.createEntityManagerFactory("library", overrides);
    this.sessions = factory.unwrap(SessionFactory.class);
  }

  public SessionFactory sessionFactory() {
    return sessions;
  }

  /** Stores an author with their books, returns the author's id. */
  public long add(Author author) {
    return sessions.fromTransaction(session -> {
      session.persist(author);
      return author.getId();
    });
  }

  /** Loads an author and walks their books collection, in a new session. */
  public Shelf shelf(long authorId) {
    return sessions.fromTransaction(session -> {
      Author author = session.find(Author.class, authorId);
      return new Shelf(author.getName(), author.getBooks().stream().map(Book::getTitle).toList());
    });
  }

  /** Titles of the books published in or after {@code year}: a query whose results are cached. */
  public List<String> booksPublishedSince(int year) {
    return sessions.fromTransaction(session -> session
        .createSelectionQuery("from Book where published >= :year order by published", Book.class)
        .setParameter("year", year)
        .setCacheable(true)
        .getResultList().stream().map(Book::getTitle).toList());
  }

  /** Renames a book: the cached entity is updated, the cached query results are invalidated. */
  public void rename(long bookId, String title) {
    sessions.inTransaction(session -> session.find(Book.class, bookId).setTitle(title));
  }

  @Override
  public void close() {
    sessions.close();
  }
}
