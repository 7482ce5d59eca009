package io.memjcache.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.cluster.NodeScript.Op;
import io.memjcache.cluster.health.NodeState;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The membership races the chaos suites found, replayed step by step on {@link FakeNode}s as
 * {@link ReplicationReplayTest} replays the replication ones: a node's life changing under a write,
 * the verdict on a suspect, and two clients readmitting one returned node. Each test names the rule
 * of the package's list it checks, and fails when the code that keeps that rule is broken.
 */
class MembershipReplayTest extends FakeReplay {

  /** Shaped as the provider's entry keys (a 12-character cache prefix, then ':'), which a repair copies. */
  private static final String KEY = "replayrepair:key";
  MembershipReplayTest() {
    super(KEY);
  }

  @BeforeEach
  void awaitFirstPasses() throws InterruptedException {
    nodes.awaitFirstPasses(); // the clients' background pass at start races no step of these replays
  }

  /**
   * A write reaches every replica in the life this client knows it to have before it is acknowledged
   * (AppliedOn): the set lands on the backup, which is then flushed (a restart) and readmitted with a
   * new mark, and this client follows the new life, all before the set is acknowledged. What reached
   * the former life is gone: the set must be sent again.
   */
  @Test
  void aSetThatReachedTheBackupsFormerLifeIsSentToItsNewLifeBeforeItIsAcknowledged() {
    backup.script().after(Op.SET, KEY, () -> {
      backup.flush();
      MembershipMark renewed = MembershipMark.fresh(System.currentTimeMillis()).asRepaired();
      assertTrue(client.records().addMark(backup, renewed));
      client.membership().setView(backup, NodeView.inUse(renewed));
    });

    store.set(KEY, 0, entry(1));
    assertTrue(backup.script().isDone());
    assertHolds(backup, 1, "acknowledged while the backup's new life lacked it");
    assertHolds(lead, 1, "the lead lacks it");
  }

  /**
   * A timeout is a suspicion; a refused port is evidence, weighed before anything is read from the
   * suspect (RejoinMonitor.weigh, downOnRefusal). The backup times out twice, the second time because
   * its server was killed, which this client's connection has not noticed: a read of it would wait
   * out more than the operation timeout, past the write waiting for the verdict. The refused port
   * makes it DOWN at once, and the write goes to the stand-in.
   */
  @Test
  void aSuspectWhosePortRefusesIsShownDownBeforeItsProbeReadsIt() {
    store.set(KEY, 0, entry(1));
    backup.script().hangs(Op.SET, KEY).before(Op.SET, KEY, () -> {
      backup.killUnnoticed(2 * OPERATION_TIMEOUT_MILLIS);
      throw backup.timeout(Op.SET);
    });

    store.set(KEY, 0, entry(2));
    assertTrue(backup.script().isDone());
    assertEquals(NodeState.DOWN, client.state(backup.server()));
    assertHolds(standIn, 2, "the write was not routed to the stand-in");
    assertHolds(lead, 2, "the lead lacks it");
  }

  /**
   * Only evidence makes a node DOWN, and only a DOWN node is flushed (RejoinMonitor.weigh): the
   * backup times out twice (suspected), then answers with the mark this client knew. Nothing was
   * written around it, so the suspicion is cleared, nothing is flushed, and the write waiting for
   * the verdict goes to it, not to the stand-in.
   */
  @Test
  void aSuspectThatAnswersWithTheMarkThisClientKnewIsClearedNotFlushed() {
    backup.setAsync("another-key", 0, entry(7)).await();
    backup.script().hangs(Op.SET, KEY).hangs(Op.SET, KEY);

    store.set(KEY, 0, entry(1));
    assertTrue(backup.script().isDone());
    assertEquals(1, client.getSuspicions(), "two timeouts in a row are a suspicion");
    assertEquals(NodeState.UP, client.state(backup.server()));
    assertNotNull(backup.get("another-key"), "a suspect that answered was flushed");
    assertHolds(backup, 1, "the write did not wait for the suspect");
    assertNull(standIn.get(KEY), "a write was routed around a suspect");
  }

  /**
   * Of clients probing a returned node at once only one flushes it, and none after another's flush
   * (Readmission.claim): both find the lead back without a mark; between this client's read of the
   * mark and its claim, the other client claims, flushes and marks it, and something is written to
   * the node after that flush. This client's claim fails, it flushes nothing, and its next probe
   * follows the other's mark.
   */
  @Test
  void ofTwoClientsReadmittingAReturnedNodeOnlyTheFirstToClaimItFlushes() {
    lead.restart(); // empty: no mark
    client.membership().markDown(lead, "restarted, noticed by the test");
    other.membership().markDown(lead, "restarted, noticed by the test");
    Readmission mine = nodes.readmission(client);
    Readmission theirs = nodes.readmission(other);
    lead.script().after(Op.MULTI_GET, MembershipMark.KEY, () -> {
      theirs.probe(lead, other.membership().view(lead));
      lead.setAsync("written-since", 0, entry(9)).await();
    });

    mine.probe(lead, client.membership().view(lead));
    assertTrue(lead.script().isDone());
    assertEquals(NodeState.JOINING, other.membership().view(lead).state());
    assertNotNull(lead.get("written-since"), "a second flush wiped what was written after the first");
    assertEquals(other.membership().view(lead).epoch(), client.records().mark(lead).epoch(),
        "the node lost the mark of the client that flushed it");

    mine.probe(lead, client.membership().view(lead));
    assertEquals(NodeState.JOINING, client.membership().view(lead).state());
    assertEquals(other.membership().view(lead).epoch(), client.membership().view(lead).epoch(),
        "the clients follow different lives of one node");
  }

  /**
   * A repair's copy never brings back a delete (ReplicaCopy's fence; ReplicaDeletes leaves a
   * tombstone on a node being repaired): the backup returned empty and is being repaired from the
   * lead; between the repair's read of the lead and its write onto the backup, another client deletes
   * the key. The copy must fail on the backup's tombstone.
   */
  @Test
  void aDeleteBetweenTheRepairsReadAndItsCopyStaysDeleted() throws InterruptedException {
    store.set(KEY, 0, entry(1));
    backup.flush(); // returned empty, flushed and readmitted: in use, being repaired
    MembershipMark returned = MembershipMark.fresh(System.currentTimeMillis());
    assertTrue(client.records().addMark(backup, returned));
    client.membership().setView(backup, NodeView.inUse(returned));
    other.membership().setView(backup, NodeView.inUse(returned));
    lead.script().after(Op.GET, KEY, () -> otherStore.delete(KEY));

    nodes.repairs(client).start(backup, returned);
    awaitRepaired(backup);
    assertTrue(lead.script().isDone(), "the repair never read the lead");
    StoredItem left = backup.get(KEY);
    assertTrue(left == null || left.isTombstone(), "the repair's copy undid a delete");
    assertNull(lead.get(KEY));
    assertNull(store.get(KEY));
  }

  /** Waits, five seconds at most, until the node's mark says its repair is complete. */
  private void awaitRepaired(FakeNode node) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!client.records().mark(node).repaired()) {
      assertTrue(System.nanoTime() < deadline, "the repair of " + node + " did not complete");
      Thread.sleep(1);
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
