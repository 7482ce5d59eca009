package io.memjcache.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.cluster.NodeScript.Op;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The races the chaos and race suites found, replayed step by step on {@link FakeNode}s: real
 * clients ({@link Cluster}, {@link ReplicatedItemStore}) on nodes in memory whose scripts run the
 * other client's step at the moment the race needs it. Each test names the rule of the package's
 * list it checks, and fails when the code that keeps that rule is broken.
 */
class ReplicationReplayTest {

  private static final String KEY = "replay-key";
  /** How long a write waits after a node went down; so also how long the decision replay takes. */
  private static final long OPERATION_TIMEOUT_MILLIS = 300;

  private FakeNodes nodes;
  private Cluster client;
  private ReplicatedItemStore store;
  private Cluster other;
  private ReplicatedItemStore otherStore;
  private FakeNode lead;
  private FakeNode backup;
  private FakeNode standIn;

  @BeforeEach
  void start() {
    nodes = new FakeNodes(3, OPERATION_TIMEOUT_MILLIS);
    client = nodes.client();
    store = new ReplicatedItemStore(client);
    other = nodes.client();
    otherStore = new ReplicatedItemStore(other);
    List<Node> replicas = client.routing().replicas(KEY);
    lead = nodes.fake(replicas.get(0));
    backup = nodes.fake(replicas.get(1));
    standIn = nodes.standInOf(KEY, client);
  }

  @AfterEach
  void stop() {
    nodes.close();
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
    assertArrayEquals(entry(1), backup.get(KEY).bytes(), "acknowledged while the backup lacked it");
    assertArrayEquals(entry(1), lead.get(KEY).bytes());
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
    assertArrayEquals(entry(2), backup.get(KEY).bytes());
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

  private static byte[] entry(long version) {
    return ClusterOnServers.entry(KEY, version);
  }
}
