package io.memjcache.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.cluster.health.NodeState;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Copies between replicas, one step at a time, against two real memcached servers. A copy (a read
 * restoring a lead that lost an entry, a repair) must never bring back a delete that completed while
 * it was under way, and the claim it leaves when its client stops in the middle must neither hide an
 * entry nor block a write. The copy of a decided write must never overwrite, or stand down before,
 * a write decided on the replica without it.
 */
@RealMemcached
class ReplicaCopyTest {

  private static final String KEY = "copy-test-key";

  private MemcachedCluster servers;
  private Cluster cluster;
  private ReplicatedItemStore store;
  private Node lead;
  private Node backup;

  @BeforeEach
  void start() throws InterruptedException {
    servers = MemcachedCluster.start(2);
    cluster = ClusterOnServers.start(servers, 2000, 5000);
    store = new ReplicatedItemStore(cluster);
    lead = cluster.routing().replicas(KEY).get(0);
    backup = cluster.routing().replicas(KEY).get(1);
  }

  @AfterEach
  void stop() {
    servers.close();
  }

  @Test
  void aDeleteCompletedWhileACopyToTheLeadIsUnderWayStaysDeleted() {
    store.set(KEY, 0, entry(1));
    lead.delete(KEY); // the lead lost it (evicted, or restarted): a CAS read copies it back
    ReplicaCopy.Result result = ReplicaCopy.copyOnto(cluster.settings().format(), KEY, backup, lead, null, read -> {
      // the source was read; before the copy is written, another client deletes the key
      assertTrue(store.delete(KEY));
      return true;
    });
    assertNotEquals(ReplicaCopy.Result.COPIED, result);
    assertNull(lead.get(KEY), "the copy undid an acknowledged delete");
    assertNull(backup.get(KEY));
    assertNull(store.gets(KEY));
  }

  @Test
  void aWriteMadeWhileACopyIsUnderWayIsKept() {
    store.set(KEY, 0, entry(1));
    lead.delete(KEY);
    ReplicaCopy.copyOnto(cluster.settings().format(), KEY, backup, lead, null, read -> {
      store.set(KEY, 0, entry(2));
      return true;
    });
    assertArrayEquals(entry(2), lead.get(KEY).bytes());
    assertArrayEquals(entry(2), backup.get(KEY).bytes());
  }

  @Test
  void aReadRestoresALeadThatLostAnEntry() {
    store.set(KEY, 0, entry(1));
    lead.delete(KEY);
    StoredItem read = store.gets(KEY);
    assertArrayEquals(entry(1), read.bytes());
    assertEquals(lead.server(), read.source(), "the CAS id is the lead's, which arbitrates");
    assertArrayEquals(entry(1), lead.get(KEY).bytes());
  }

  @Test
  void theClaimOfACopyThatStoppedHidesNoEntry() {
    store.set(KEY, 0, entry(1));
    lead.delete(KEY);
    assertTrue(lead.claim(KEY, ReplicaCopy.CLAIM_SECONDS) != null);
    assertArrayEquals(entry(1), store.get(KEY).bytes());
    assertArrayEquals(entry(1), store.getAll(List.of(KEY)).get(KEY).bytes());
    StoredItem read = store.gets(KEY);
    assertArrayEquals(entry(1), read.bytes(), "the claim is replaced by the copy");
    assertEquals(WriteOutcome.APPLIED, store.cas(KEY, read, 0, entry(2)));
    assertArrayEquals(entry(2), backup.get(KEY).bytes());
  }

  @Test
  void theClaimOfACopyThatStoppedBlocksNoWrite() {
    assertTrue(lead.claim(KEY, ReplicaCopy.CLAIM_SECONDS) != null);
    assertNull(store.get(KEY));
    assertNull(store.gets(KEY), "nothing to copy: the claim is released");
    assertEquals(WriteOutcome.APPLIED, store.add(KEY, 0, entry(1)));
    assertArrayEquals(entry(1), store.get(KEY).bytes());
  }

  /**
   * On a node being repaired, a delete first leaves a tombstone, which the repair's copy does not
   * replace (the repair may have read the entry on the other replica before the delete reached it),
   * and removes it once the other copies are gone: it is never taken for an entry afterwards.
   */
  @Test
  void aDeleteOnANodeBeingRepairedIsNotUndoneByTheRepair() {
    store.set(KEY, 0, entry(1));
    MembershipMark mark = new MembershipMark(cluster.membership().view(backup).epoch(), 0, false);
    cluster.membership().setView(backup, NodeView.inUse(mark));
    assertEquals(NodeState.REPAIRING, cluster.membership().view(backup).state());
    // the delete's first step; the lead still holds the entry, which the repair reads
    backup.setTombstone(KEY, ReplicatedItemStore.TOMBSTONE_SECONDS);
    assertEquals(ReplicaCopy.Result.TARGET_HAD_IT, ReplicaCopy.reconcile(cluster.settings().format(), KEY, lead, backup, 0));
    assertTrue(backup.gets(KEY).isTombstone());

    assertTrue(store.delete(KEY), "the lead, in use, had it");
    assertNull(backup.gets(KEY), "the delete removed its tombstone");
    assertNull(lead.gets(KEY));
    cluster.membership().setView(backup, NodeView.inUse(mark.asRepaired()));
    assertFalse(store.delete(KEY), "nothing left to remove");
  }

  /**
   * The lead decided a CAS, but the backup holds a write made without it (another client decided
   * there: the lead had failed in between, as far as it could tell): both cannot be acknowledged.
   */
  @Test
  void aDecisionForkedOnTheBackupFailsTheWriteOnTheLead() {
    store.set(KEY, 0, entry(1));
    StoredItem expected = store.gets(KEY);
    backup.setAsync(KEY, 0, entry(5)).await(); // decided on the backup, from version 1
    assertThrows(CacheException.class, () -> store.cas(KEY, expected, 0, entry(2)));
    assertArrayEquals(entry(5), backup.get(KEY).bytes(), "the other decision stands");
  }

  /** The same with the lead's decision older than the backup's: the backup is not overwritten. */
  @Test
  void aForkedDecisionIsNeverOverwritten() {
    store.set(KEY, 0, entry(1));
    StoredItem expected = store.gets(KEY);
    backup.setAsync(KEY, 0, entry(3)).await();
    assertThrows(CacheException.class, () -> store.cas(KEY, expected, 0, entry(7)));
    assertArrayEquals(entry(3), backup.get(KEY).bytes());
  }

  /** A delete decided on the lead neither wipes a write decided on the backup without it. */
  @Test
  void aDeleteDecidedOnTheLeadNeverWipesAForkedDecision() {
    store.set(KEY, 0, entry(1));
    StoredItem expected = store.gets(KEY);
    backup.setAsync(KEY, 0, entry(5)).await();
    assertThrows(CacheException.class, () -> store.delete(KEY, expected));
    assertArrayEquals(entry(5), backup.get(KEY).bytes());
  }

  /** A plain write racing the copy reaches the lead too: the decided write stands down, no error. */
  @Test
  void aWriteRacingTheCopyThroughTheLeadIsNoFork() throws Exception {
    store.set(KEY, 0, entry(1));
    StoredItem expected = store.gets(KEY);
    backup.setAsync(KEY, 0, entry(5)).await(); // the racing write reached the backup first
    Thread racer = new Thread(() -> {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!Arrays.equals(entry(2), lead.get(KEY).bytes()) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      lead.setAsync(KEY, 0, entry(5)).await(); // and the lead after the decision
    });
    racer.start();
    assertEquals(WriteOutcome.APPLIED, store.cas(KEY, expected, 0, entry(2)));
    racer.join();
    assertArrayEquals(entry(5), lead.get(KEY).bytes());
    assertArrayEquals(entry(5), backup.get(KEY).bytes());
  }

  /**
   * A delete that fails on the backup never goes on to the lead: a reader missing on the lead would
   * copy the backup's entry back (a delete timed out across a pause once did exactly that).
   */
  @Test
  void aDeleteThatFailsOnTheBackupLeavesTheLeadAlone() {
    store.set(KEY, 0, entry(1));
    MemcachedProcess hung = servers.nodeAt(backup.server().toString());
    hung.hang();
    try {
      assertThrows(CacheException.class, () -> store.delete(KEY));
      assertArrayEquals(entry(1), lead.get(KEY).bytes(), "the lead keeps it while a copy may remain");
    } finally {
      hung.resume();
    }
  }

  /** What reached a node before it was flushed and marked anew does not count as having reached it. */
  @Test
  void anOperationThatReachedANodesFormerLifeMustReachItAgain() {
    AppliedOn done = new AppliedOn(cluster);
    done.sending(backup);
    done.reached(backup);
    assertTrue(done.contains(backup));
    assertFalse(done.contains(lead));
    cluster.membership().setView(backup, NodeView.inUse(MembershipMark.fresh(0).asRepaired()));
    assertFalse(done.contains(backup), "the node was flushed since");
  }

  private static byte[] entry(long version) {
    return ClusterOnServers.entry(KEY, version);
  }
}
