package io.memjcache.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.cluster.NodeScript.Op;
import io.memjcache.cluster.health.NodeState;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheException;
import org.junit.jupiter.api.Test;

/**
 * The races the chaos and race suites found, replayed step by step on {@link FakeNode}s: real
 * clients ({@link Cluster}, {@link ReplicatedItemStore}) on nodes in memory whose scripts run the
 * other client's step at the moment the race needs it. Each test names the rule of the package's
 * list it checks, and fails when the code that keeps that rule is broken.
 */
class ReplicationReplayTest extends FakeReplay {

  private static final String KEY = "replay-key";
  ReplicationReplayTest() {
    super(KEY);
  }

  /**
   * A copy between replicas never brings back a delete (ReplicaCopy's fence). The lead lost the
   * entry; a CAS read copies it back from the backup, and between its read of the backup and its
   * write onto the lead another client deletes the key everywhere: the copy must fail.
   */
  @Test
  void aDeleteBetweenTheReadAndTheWriteOfACopyStaysDeleted() {
    store.set(KEY, 0, entry(1));
    lead.delete(KEY); // evicted from the lead
    lead.script().before(Op.CAS, KEY, () -> assertTrue(otherStore.delete(KEY)));

    assertNull(store.gets(KEY));
    assertTrue(lead.script().isDone());
    assertNull(lead.get(KEY), "the copy undid an acknowledged delete");
    assertNull(backup.get(KEY));
  }

  /**
   * Deletes reach the lead last (ReplicaDeletes.deleteEverywhere). A CAS read after each step of a
   * delete: while a copy remains elsewhere the lead still holds one, so no read misses on the lead
   * and copies a doomed copy back onto it.
   */
  @Test
  void aReadBetweenTheStepsOfADeleteBringsNothingBack() {
    store.set(KEY, 0, entry(1));
    lead.script().after(Op.DELETE, KEY, () -> otherStore.gets(KEY));
    backup.script().after(Op.DELETE, KEY, () -> otherStore.gets(KEY));

    assertTrue(store.delete(KEY));
    assertTrue(lead.script().isDone() && backup.script().isDone());
    assertNull(lead.get(KEY), "a read between the steps copied the entry back onto the lead");
    assertNull(store.get(KEY));
  }

  /**
   * A miss is checked on the other home replicas, never on a stand-in (ReplicaReads). The stand-in
   * holds a copy left from an earlier outage, deleted since; the backup is down, the lead misses.
   */
  @Test
  void aMissIsNotAnsweredByAStandInsLeftover() {
    standIn.setAsync(KEY, 0, entry(1)).await(); // left from an earlier outage
    backup.kill();
    client.membership().markDown(client.routing().replicas(KEY).get(1), "killed by the test");
    assertEquals(standIn.server(), client.routing().replicas(KEY).get(1).server());

    assertNull(store.get(KEY), "get served a stand-in's leftover");
    assertTrue(store.getAll(List.of(KEY)).isEmpty(), "getAll served a stand-in's leftover");
  }

  /**
   * A miss is checked on the other home replicas (ReplicaReads): the lead was flushed (its items and
   * membership mark gone) and this client has not noticed yet; the backup's copy answers, and a CAS
   * read puts it back on the lead, which alone decides conditional writes.
   */
  @Test
  void aMissOnALeadFlushedUnnoticedIsAnsweredByTheBackup() {
    store.set(KEY, 0, entry(1));
    lead.flush();

    StoredItem read = store.get(KEY);
    assertNotNull(read, "a miss on the flushed lead hid the entry");
    assertArrayEquals(entry(1), read.bytes());
    StoredItem withCas = store.gets(KEY);
    assertNotNull(withCas, "a CAS read missed on the flushed lead");
    assertEquals(lead.server(), withCas.source());
    assertHolds(lead, 1, "the CAS read did not restore the lead");
  }

  /**
   * A remove does not count a stand-in's leftover copy (ReplicaDeletes): the entry is absent, the
   * backup is found down during the remove, and the stand-in that then takes its place holds an old
   * copy no read finds. The remove must report nothing removed.
   */
  @Test
  void aRemoveDoesNotCountAStandInsLeftover() {
    standIn.setAsync(KEY, 0, entry(1)).await();
    backup.kill(); // noticed by the delete itself: its port refuses connections

    assertFalse(store.delete(KEY), "the remove counted a copy no read could find");
    assertEquals(NodeState.DOWN, client.state(backup.server()));
    assertNull(standIn.get(KEY));
  }

  /**
   * No write is acknowledged while a replica in use lacks it (ReplicatedItemStore.replicate with
   * AppliedOn): the backup's set times out (not applied, one timeout: not yet a suspicion), so the
   * set is sent to it again before the write returns.
   */
  @Test
  void aSetThatTimedOutOnTheBackupIsSentAgainBeforeItIsAcknowledged() {
    backup.script().hangs(Op.SET, KEY);

    store.set(KEY, 0, entry(1));
    assertTrue(backup.script().isDone());
    assertHolds(backup, 1, "acknowledged while the backup lacked it");
    assertHolds(lead, 1, "the lead lacks it");
  }

  /**
   * A conditional write the lead applied and then did not confirm (the reply lost) is reported
   * unknown, never as a conflict (ReplicatedItemStore.decidedByLead): a caller that took it for a
   * conflict would decide again, on a value that is its own write.
   */
  @Test
  void anAddTheLeadAppliedWithoutAnsweringIsUnknownNotAConflict() {
    lead.script().failsAfterApplying(Op.ADD, KEY);

    assertThrows(NodeUnavailableException.class, () -> store.add(KEY, 0, entry(1)));
    assertHolds(lead, 1, "the scripted fault applies the add first");
  }

  /**
   * A decision's copy never overwrites a write decided without it (DecisionCopies): this client's
   * compare-and-set is decided on the lead, the lead dies before the copy, and the backup meanwhile
   * holds a decision another client made there from the same old value. Both cannot stand: this
   * write fails, its outcome unknown, and the other decision stays.
   */
  @Test
  void aDecisionForkedOnTheBackupIsNeverOverwrittenByTheLeadsCopy() {
    store.set(KEY, 0, entry(1));
    StoredItem read = store.gets(KEY);
    lead.script().after(Op.CAS, KEY, () -> {
      lead.kill();
      backup.setAsync(KEY, 0, entry(3)).await(); // decided on the backup, from version 1
    });

    assertThrows(CacheException.class, () -> store.cas(KEY, read, 0, entry(2)));
    assertHolds(backup, 3, "the copy overwrote a decision made without it");
  }

  /**
   * A plain write that reaches the backup before a decision's copy, and the lead after the decision,
   * is no fork (DecisionCopies.leadHolds): the copy stands down and the decision is acknowledged.
   */
  @Test
  void aWriteRacingADecisionsCopyThroughTheLeadIsNoFork() {
    store.set(KEY, 0, entry(1));
    StoredItem read = store.getsForWrite(KEY);
    backup.script().before(Op.CAS, KEY, () -> backup.setAsync(KEY, 0, entry(5)).await());
    lead.script().after(Op.CAS, KEY, () -> lead.setAsync(KEY, 0, entry(5)).await());

    assertEquals(WriteOutcome.APPLIED, store.cas(KEY, read, 0, entry(2)));
    assertTrue(backup.script().isDone(), "the racing write never reached the backup");
    assertHolds(lead, 5, "the racing write was lost on the lead");
    assertHolds(backup, 5, "the copy overwrote a newer write");
  }

  /**
   * A decision is copied with the CAS id the backup had when read with the lead (ReplicaReadAhead),
   * never over a change made since (DecisionCopies.appliedOnWhatWasRead): another client's write
   * lands on the backup between the read and the copy, so the copy reads the backup again and decides
   * on what it holds now.
   */
  @Test
  void aBackupChangedSinceItWasReadWithTheLeadIsReadAgainBeforeTheCopy() {
    store.set(KEY, 0, entry(1));
    StoredItem read = store.getsForWrite(KEY);
    backup.script().before(Op.CAS, KEY, () -> backup.setAsync(KEY, 0, entry(7)).await());

    // the backup now holds 7, a write made outside this decision's history that the lead never got:
    // this decision cannot be copied over it, and its outcome is unknown
    assertThrows(CacheException.class, () -> store.cas(KEY, read, 0, entry(2)));
    assertHolds(backup, 7, "the copy overwrote a write made after the backup was read");
  }

  /**
   * A conditional write costs no read of the backup beyond the one sent with the lead's
   * (ReplicaReadAhead): a compare-and-set copies the decision with the CAS id read then, and a miss
   * read on both is followed by an add on each, without the second read of the backup it once took.
   */
  @Test
  void aConditionalWriteReadsTheBackupOnceWithTheLead() {
    store.set(KEY, 0, entry(1));
    lead.appliedOn(KEY);
    backup.appliedOn(KEY);

    StoredItem read = store.getsForWrite(KEY);
    assertEquals(WriteOutcome.APPLIED, store.cas(KEY, read, 0, entry(2)));
    assertEquals(List.of(Op.GETS, Op.CAS), lead.appliedOn(KEY));
    assertEquals(List.of(Op.GETS, Op.CAS), backup.appliedOn(KEY), "the backup was read again");
    assertHolds(backup, 2, "the backup lost the decision");

    lead.delete(KEY);
    backup.delete(KEY);
    lead.appliedOn(KEY);
    backup.appliedOn(KEY);
    assertNull(store.getsForWrite(KEY));
    assertEquals(WriteOutcome.APPLIED, store.add(KEY, 0, entry(3)));
    assertEquals(List.of(Op.GETS, Op.ADD), lead.appliedOn(KEY));
    assertEquals(List.of(Op.GETS, Op.ADD), backup.appliedOn(KEY), "the backup was read again");
    assertHolds(backup, 3, "the backup lost the add");
  }

  /**
   * A decision is not overtaken by one made on the replica that takes over from a lead just marked
   * down (Membership.awaitStableRouting). This client's compare-and-set is decided on the lead; the
   * lead dies before the copy reaches the backup, another client marks it down and decides a
   * compare-and-set of its own on the backup, now its lead. That one must wait until this copy has
   * landed, and then lose on CAS, rather than win and make this acknowledged decision fail.
   */
  @Test
  void aDecisionOnTheNewLeadWaitsForTheCopyOfOneMadeOnTheLeadJustMarkedDown() throws Exception {
    store.set(KEY, 0, entry(1));
    StoredItem read = store.gets(KEY);
    CompletableFuture<WriteOutcome> otherDecision = new CompletableFuture<>();
    CountDownLatch otherRead = new CountDownLatch(1);
    lead.script().after(Op.CAS, KEY, () -> {
      lead.kill();
      Thread racer = new Thread(() -> {
        try {
          StoredItem fromNewLead = otherStore.gets(KEY); // marks the lead down: it refuses connections
          otherRead.countDown();
          otherDecision.complete(otherStore.cas(KEY, fromNewLead, 0, entry(3)));
        } catch (RuntimeException e) {
          otherDecision.completeExceptionally(e);
        }
      });
      racer.start();
      awaitWaitingOrDone(racer, otherRead);
    });

    assertEquals(WriteOutcome.APPLIED, store.cas(KEY, read, 0, entry(2)));
    assertEquals(WriteOutcome.CONFLICT, otherDecision.get(10, TimeUnit.SECONDS));
    assertHolds(backup, 2, "the decision's copy was lost");
  }

  /**
   * Waits until the racing client has read the key and then either sleeps (the wait after a node
   * went down) or has decided; ten seconds at most.
   */
  private static void awaitWaitingOrDone(Thread racer, CountDownLatch read) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try {
      assertTrue(read.await(10, TimeUnit.SECONDS), "the other client did not read the key");
      while (racer.getState() != Thread.State.TIMED_WAITING && racer.getState() != Thread.State.TERMINATED
          && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void assertHolds(FakeNode node, long version, String message) {
    StoredItem item = node.get(KEY);
    assertNotNull(item, message + ": " + node + " holds nothing");
    assertArrayEquals(entry(version), item.bytes(), message);
  }

  private static byte[] entry(long version) {
    return ClusterOnServers.entry(KEY, version);
  }
}
