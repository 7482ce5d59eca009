package io.memjcache.expiry;

import io.memjcache.codec.Envelope;
import io.memjcache.logging.Log;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;

/**
 * Asks a cache's {@link ExpiryPolicy} for new expiry times, as JSR-107 section 6 requires.
 *
 * <p>A policy that throws is treated as returning its safe answer: eternal on creation, "unchanged"
 * on update and access, logged. {@link #UNCHANGED} stands for the spec's {@code null} duration.
 */
public final class ExpiryDecider {

  /** Returned when the policy leaves the expiry as it is. */
  public static final long UNCHANGED = Long.MIN_VALUE;

  private static final Log LOG = Log.of(ExpiryDecider.class);

  private final ExpiryPolicy policy;
  private final boolean updateLikeCreation;

  public ExpiryDecider(ExpiryPolicy policy) {
    this.policy = policy;
    Class<?> type = policy.getClass();
    // For these standard policies a put needs no read first: the expiry of an update equals that of a
    // creation, so whether the key existed does not matter.
    this.updateLikeCreation = type == EternalExpiryPolicy.class
        || type == ModifiedExpiryPolicy.class || type == TouchedExpiryPolicy.class;
  }

  public ExpiryPolicy policy() {
    return policy;
  }

  /** Returns if creation and update always give the same expiry, so a blind write is correct. */
  public boolean updateLikeCreation() {
    return updateLikeCreation;
  }

  /** Returns if no duration can ever expire an entry (no need to check expiry on blind deletes). */
  public boolean isEternal() {
    return policy.getClass() == EternalExpiryPolicy.class;
  }

  /** Returns the absolute expiry of a new entry; {@code <= now} means it must not be stored. */
  public long onCreation(long now) {
    Duration d;
    try {
      d = policy.getExpiryForCreation();
    } catch (RuntimeException e) {
      LOG.warning("ExpiryPolicy.getExpiryForCreation threw; the entry is eternal", e);
      return Envelope.ETERNAL;
    }
    return d == null ? Envelope.ETERNAL : ExpiryTimes.expiresAt(d, now);
  }

  /** Returns the new absolute expiry after an update, or {@link #UNCHANGED}. */
  public long onUpdate(long now) {
    try {
      return orUnchanged(policy.getExpiryForUpdate(), now);
    } catch (RuntimeException e) {
      LOG.warning("ExpiryPolicy.getExpiryForUpdate threw; expiry unchanged", e);
      return UNCHANGED;
    }
  }

  /** Returns the new absolute expiry after an access, or {@link #UNCHANGED}. */
  public long onAccess(long now) {
    try {
      return orUnchanged(policy.getExpiryForAccess(), now);
    } catch (RuntimeException e) {
      LOG.warning("ExpiryPolicy.getExpiryForAccess threw; expiry unchanged", e);
      return UNCHANGED;
    }
  }

  private static long orUnchanged(Duration d, long now) {
    return d == null ? UNCHANGED : ExpiryTimes.expiresAt(d, now);
  }
}
