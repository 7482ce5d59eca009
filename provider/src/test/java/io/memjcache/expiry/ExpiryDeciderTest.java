package io.memjcache.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.codec.Envelope;
import java.util.concurrent.TimeUnit;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.junit.jupiter.api.Test;

class ExpiryDeciderTest {

  static final Duration TEN_SECONDS = new Duration(TimeUnit.SECONDS, 10);

  @Test
  void nullOnUpdateOrAccessLeavesTheExpiryUnchanged() {
    ExpiryDecider created = new ExpiryDecider(new CreatedExpiryPolicy(TEN_SECONDS));
    assertEquals(10_000 + 5, created.onCreation(5));
    assertEquals(ExpiryDecider.UNCHANGED, created.onUpdate(5));
    assertEquals(ExpiryDecider.UNCHANGED, created.onAccess(5));
    assertEquals(10_005, new ExpiryDecider(new AccessedExpiryPolicy(TEN_SECONDS)).onAccess(5));
  }

  @Test
  void aThrowingPolicyMakesEntriesEternalOnCreationAndLeavesThemAloneOtherwise() {
    ExpiryDecider throwing = new ExpiryDecider(new ExpiryPolicy() {
      @Override
      public Duration getExpiryForCreation() {
        throw new IllegalStateException("boom");
      }

      @Override
      public Duration getExpiryForAccess() {
        throw new IllegalStateException("boom");
      }

      @Override
      public Duration getExpiryForUpdate() {
        throw new IllegalStateException("boom");
      }
    });
    assertEquals(Envelope.ETERNAL, throwing.onCreation(5));
    assertEquals(ExpiryDecider.UNCHANGED, throwing.onUpdate(5));
    assertEquals(ExpiryDecider.UNCHANGED, throwing.onAccess(5));
  }

  @Test
  void blindWritesOnlyForPoliciesWhoseUpdateEqualsCreation() {
    assertTrue(new ExpiryDecider(new EternalExpiryPolicy()).updateLikeCreation());
    assertTrue(new ExpiryDecider(new ModifiedExpiryPolicy(TEN_SECONDS)).updateLikeCreation());
    assertTrue(new ExpiryDecider(new TouchedExpiryPolicy(TEN_SECONDS)).updateLikeCreation());
    assertFalse(new ExpiryDecider(new CreatedExpiryPolicy(TEN_SECONDS)).updateLikeCreation());
    assertFalse(new ExpiryDecider(new AccessedExpiryPolicy(TEN_SECONDS)).updateLikeCreation());
  }
}
