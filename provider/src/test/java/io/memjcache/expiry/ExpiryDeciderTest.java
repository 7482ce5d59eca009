package io.memjcache.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.codec.Envelope;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@link ExpiryDecider} makes of an {@link ExpiryPolicy}'s answers (JSR-107 section 6): a
 * {@code null} duration on update or access leaves the expiry as it is, a throwing policy gets the
 * safe answer, and blind writes are allowed exactly for the standard policies whose update duration
 * always equals the creation duration.
 */
class ExpiryDeciderTest {

  static final long NOW = 1_795_000_000_123L;
  static final Duration TEN_SECONDS = new Duration(TimeUnit.SECONDS, 10);
  static final Logger DECIDER_LOG = Logger.getLogger(ExpiryDecider.class.getName());
  static Level savedLevel;

  @BeforeAll
  static void quietTheExpectedWarnings() {
    savedLevel = DECIDER_LOG.getLevel();
    DECIDER_LOG.setLevel(Level.OFF);
  }

  @AfterAll
  static void restoreLogging() {
    DECIDER_LOG.setLevel(savedLevel);
  }

  // ------------------------------------------------------------------ the standard policies

  @Test
  void createdExpiryPolicySetsTheExpiryOnceAndLeavesItAlone() {
    ExpiryDecider d = new ExpiryDecider(new CreatedExpiryPolicy(TEN_SECONDS));
    assertEquals(NOW + 10_000, d.onCreation(NOW));
    assertEquals(ExpiryDecider.UNCHANGED, d.onUpdate(NOW));
    assertEquals(ExpiryDecider.UNCHANGED, d.onAccess(NOW));
  }

  @Test
  void accessedExpiryPolicyRestartsTheClockOnAccessOnly() {
    ExpiryDecider d = new ExpiryDecider(new AccessedExpiryPolicy(TEN_SECONDS));
    assertEquals(NOW + 10_000, d.onCreation(NOW));
    assertEquals(ExpiryDecider.UNCHANGED, d.onUpdate(NOW + 5));
    assertEquals(NOW + 5 + 10_000, d.onAccess(NOW + 5));
  }

  @Test
  void modifiedExpiryPolicyRestartsTheClockOnUpdateOnly() {
    ExpiryDecider d = new ExpiryDecider(new ModifiedExpiryPolicy(TEN_SECONDS));
    assertEquals(NOW + 10_000, d.onCreation(NOW));
    assertEquals(NOW + 5 + 10_000, d.onUpdate(NOW + 5));
    assertEquals(ExpiryDecider.UNCHANGED, d.onAccess(NOW + 5));
  }

  @Test
  void touchedExpiryPolicyRestartsTheClockOnUpdateAndAccess() {
    ExpiryDecider d = new ExpiryDecider(new TouchedExpiryPolicy(TEN_SECONDS));
    assertEquals(NOW + 10_000, d.onCreation(NOW));
    assertEquals(NOW + 5 + 10_000, d.onUpdate(NOW + 5));
    assertEquals(NOW + 7 + 10_000, d.onAccess(NOW + 7));
  }

  @Test
  void eternalExpiryPolicyIsEternalAndNeverChanges() {
    ExpiryDecider d = new ExpiryDecider(new EternalExpiryPolicy());
    assertEquals(Envelope.ETERNAL, d.onCreation(NOW));
    assertEquals(ExpiryDecider.UNCHANGED, d.onUpdate(NOW));
    assertEquals(ExpiryDecider.UNCHANGED, d.onAccess(NOW));
    assertTrue(d.isEternal());
    assertFalse(new ExpiryDecider(new CreatedExpiryPolicy(Duration.ETERNAL)).isEternal(),
        "only the EternalExpiryPolicy class is known to be eternal for every operation");
  }

  // ------------------------------------------------------------------ null, zero, eternal answers

  @Test
  void nullOnUpdateAndAccessMeansUnchangedNotEternalNorZero() {
    ExpiryDecider d = new ExpiryDecider(policy(() -> TEN_SECONDS, () -> null, () -> null));
    assertEquals(ExpiryDecider.UNCHANGED, d.onUpdate(NOW));
    assertEquals(ExpiryDecider.UNCHANGED, d.onAccess(NOW));
    // the sentinel can never be mistaken for a real expiry time
    assertEquals(-1, Long.signum(ExpiryDecider.UNCHANGED));
    assertNotEquals(Envelope.ETERNAL, ExpiryDecider.UNCHANGED);
  }

  @Test
  void nullOnCreationIsTakenAsEternal() {
    ExpiryDecider d = new ExpiryDecider(policy(() -> null, () -> null, () -> null));
    assertEquals(Envelope.ETERNAL, d.onCreation(NOW));
  }

  @Test
  void zeroExpiresAtTheMomentOfTheOperation() {
    ExpiryDecider d = new ExpiryDecider(policy(() -> Duration.ZERO, () -> Duration.ZERO, () -> Duration.ZERO));
    // "<= now" means: do not store on creation, remove on update or access
    assertEquals(NOW, d.onCreation(NOW));
    assertEquals(NOW + 1, d.onUpdate(NOW + 1));
    assertEquals(NOW + 2, d.onAccess(NOW + 2));
  }

  @Test
  void eternalOnUpdateOrAccessMakesTheEntryEternal() {
    ExpiryDecider d = new ExpiryDecider(policy(() -> TEN_SECONDS, () -> Duration.ETERNAL, () -> Duration.ETERNAL));
    assertEquals(Envelope.ETERNAL, d.onUpdate(NOW));
    assertEquals(Envelope.ETERNAL, d.onAccess(NOW));
  }

  @Test
  void eachOperationAsksItsOwnDuration() {
    ExpiryDecider d = new ExpiryDecider(policy(
        () -> new Duration(TimeUnit.SECONDS, 100),
        () -> new Duration(TimeUnit.SECONDS, 50),
        () -> new Duration(TimeUnit.MILLISECONDS, 300)));
    assertEquals(NOW + 100_000, d.onCreation(NOW));
    assertEquals(NOW + 50_000, d.onUpdate(NOW));
    assertEquals(NOW + 300, d.onAccess(NOW));
  }

  // ------------------------------------------------------------------ a policy that throws

  @Test
  void aThrowingPolicyMakesNewEntriesEternalAndLeavesExistingOnesAlone() {
    ExpiryDecider d = new ExpiryDecider(policy(
        () -> { throw new IllegalStateException("creation"); },
        () -> { throw new IllegalStateException("update"); },
        () -> { throw new UnsupportedOperationException("access"); }));
    assertEquals(Envelope.ETERNAL, d.onCreation(NOW));
    assertEquals(ExpiryDecider.UNCHANGED, d.onUpdate(NOW));
    assertEquals(ExpiryDecider.UNCHANGED, d.onAccess(NOW));
  }

  @Test
  void onlyTheThrowingMethodFallsBackTheOthersAreStillAsked() {
    ExpiryDecider d = new ExpiryDecider(policy(
        () -> TEN_SECONDS,
        () -> { throw new IllegalStateException("update"); },
        () -> new Duration(TimeUnit.SECONDS, 3)));
    assertEquals(NOW + 10_000, d.onCreation(NOW));
    assertEquals(ExpiryDecider.UNCHANGED, d.onUpdate(NOW));
    assertEquals(NOW + 3_000, d.onAccess(NOW));
  }

  // ------------------------------------------------------------------ blind writes

  @Test
  void updateLikeCreationExactlyForTheEternalModifiedAndTouchedPolicies() {
    assertTrue(new ExpiryDecider(new EternalExpiryPolicy()).updateLikeCreation());
    assertTrue(new ExpiryDecider(new ModifiedExpiryPolicy(TEN_SECONDS)).updateLikeCreation());
    assertTrue(new ExpiryDecider(new TouchedExpiryPolicy(TEN_SECONDS)).updateLikeCreation());
    assertTrue(new ExpiryDecider(new TouchedExpiryPolicy(Duration.ZERO)).updateLikeCreation());

    assertFalse(new ExpiryDecider(new CreatedExpiryPolicy(TEN_SECONDS)).updateLikeCreation());
    assertFalse(new ExpiryDecider(new AccessedExpiryPolicy(TEN_SECONDS)).updateLikeCreation());
    assertFalse(new ExpiryDecider(new CreatedExpiryPolicy(Duration.ETERNAL)).updateLikeCreation());
    assertFalse(new ExpiryDecider(policy(() -> TEN_SECONDS, () -> TEN_SECONDS, () -> null)).updateLikeCreation(),
        "a custom policy is never trusted, even when it answers alike today");
  }

  @Test
  void aCustomPolicyWrappingAStandardOneIsNotTrustedForBlindWrites() {
    // the standard policies are final; a wrapper may answer differently from what it wraps
    ExpiryPolicy modified = new ModifiedExpiryPolicy(TEN_SECONDS);
    ExpiryPolicy wrapper = policy(modified::getExpiryForCreation, modified::getExpiryForUpdate,
        modified::getExpiryForAccess);
    assertFalse(new ExpiryDecider(wrapper).updateLikeCreation());
    ExpiryPolicy eternal = new EternalExpiryPolicy();
    ExpiryPolicy eternalWrapper = policy(eternal::getExpiryForCreation, eternal::getExpiryForUpdate,
        eternal::getExpiryForAccess);
    assertFalse(new ExpiryDecider(eternalWrapper).updateLikeCreation());
    assertFalse(new ExpiryDecider(eternalWrapper).isEternal());
  }

  @Test
  void thePolicyIsKeptAsGiven() {
    ExpiryPolicy p = new AccessedExpiryPolicy(TEN_SECONDS);
    assertSame(p, new ExpiryDecider(p).policy());
  }

  private static ExpiryPolicy policy(Supplier<Duration> creation, Supplier<Duration> update,
      Supplier<Duration> access) {
    return new ExpiryPolicy() {
      @Override
      public Duration getExpiryForCreation() {
        return creation.get();
      }

      @Override
      public Duration getExpiryForUpdate() {
        return update.get();
      }

      @Override
      public Duration getExpiryForAccess() {
        return access.get();
      }
    };
  }
}
