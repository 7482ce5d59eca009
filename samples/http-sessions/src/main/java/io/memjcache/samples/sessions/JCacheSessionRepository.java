package io.memjcache.samples.sessions;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.springframework.session.MapSession;
import org.springframework.session.SessionIdGenerator;
import org.springframework.session.SessionRepository;
import org.springframework.session.UuidSessionIdGenerator;

/**
 * Spring Session's {@link SessionRepository} on any {@code javax.cache.Cache}: here memjcache's, so
 * every web server sharing the memcached cluster (and the namespace) sees every session.
 *
 * <p>The session timeout is the cache's {@link TouchedExpiryPolicy}: a session is dropped by the
 * cache after {@code timeout} without being read or written, which is what "inactive" means.
 * Every session gets that timeout; a session whose {@code maxInactiveInterval} was shortened by the
 * application is also checked on read.
 */
public final class JCacheSessionRepository implements SessionRepository<MapSession> {

  private final Cache<String, MapSession> sessions;
  private final Duration timeout;
  private final SessionIdGenerator ids = UuidSessionIdGenerator.getInstance();

  public JCacheSessionRepository(Cache<String, MapSession> sessions, Duration timeout) {
    this.sessions = sessions;
    this.timeout = timeout;
  }

  /** The configuration of the sessions cache: sessions expire {@code timeout} after their last use. */
  public static MutableConfiguration<String, MapSession> cacheConfiguration(Duration timeout) {
    return new MutableConfiguration<String, MapSession>()
        .setTypes(String.class, MapSession.class)
        .setExpiryPolicyFactory(TouchedExpiryPolicy.factoryOf(
            new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, timeout.toMillis())));
  }

  @Override
  public MapSession createSession() {
    MapSession session = new MapSession(ids);
    session.setMaxInactiveInterval(timeout);
    return session;
  }

  @Override
  public void save(MapSession session) {
    String previousId = session.getOriginalId();
    // stored as a fresh copy, whose original id is its id
    sessions.put(session.getId(), new MapSession(session));
    if (!previousId.equals(session.getId())) {
      // the id changed (after a login, against session fixation): the old id must stop working
      sessions.remove(previousId);
    }
  }

  @Override
  public MapSession findById(String id) {
    MapSession session = sessions.get(id);
    if (session == null) {
      return null;
    }
    if (session.isExpired()) {
      sessions.remove(id);
      return null;
    }
    // the id generator is transient: a session read back from the cache needs it again
    session.setSessionIdGenerator(ids);
    return session;
  }

  @Override
  public void deleteById(String id) {
    sessions.remove(id);
  }
}
