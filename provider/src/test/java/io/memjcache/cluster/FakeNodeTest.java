package io.memjcache.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.cluster.NodeScript.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fake node answers as memcached's binary protocol does where the replication code relies on it
 * (CAS ids, conditional writes, markers, expiry), and its scripted faults happen once, where scripted.
 */
class FakeNodeTest {

  private static final int FLAGS = 7;
  private static final byte[] BYTES = {1, 2, 3};

  private final FakeNode node = new FakeNode(ServerAddress.parse("127.0.0.1:1"), FLAGS);

  @Test
  void everyChangeGivesANewCasIdAndACasOnAnOldOneConflicts() {
    node.setAsync("k", 0, BYTES).await();
    StoredItem first = node.gets("k");
    assertEquals(node.server(), first.source());
    assertEquals(FLAGS, first.flags());
    assertEquals(WriteOutcome.APPLIED, node.cas("k", first.cas(), 0, new byte[] {4}));
    assertNotEquals(first.cas(), node.gets("k").cas());
    assertEquals(WriteOutcome.CONFLICT, node.cas("k", first.cas(), 0, BYTES));
    assertEquals(WriteOutcome.NOT_FOUND, node.cas("absent", first.cas(), 0, BYTES));
    assertEquals(0L, node.get("k").cas(), "a get returns no CAS id");
  }

  @Test
  void addAndDeleteWithCasAnswerAsMemcached() {
    assertEquals(WriteOutcome.APPLIED, node.add("k", 0, BYTES));
    assertEquals(WriteOutcome.CONFLICT, node.add("k", 0, BYTES));
    long cas = node.gets("k").cas();
    node.script().conflictsAt(Op.DELETE_CAS, "k");
    assertEquals(WriteOutcome.CONFLICT, node.delete("k", cas));
    assertEquals(WriteOutcome.APPLIED, node.delete("k", node.gets("k").cas()));
    assertEquals(WriteOutcome.NOT_FOUND, node.delete("k", cas));
    assertFalse(node.delete("k"));
  }

  @Test
  void markersTakeTheKeyAndClaimsOnlyAnAbsentOne() {
    StoredItem claim = node.claim("k", 30);
    assertTrue(claim.isClaim());
    assertNull(node.claim("k", 30), "a claim where the key is held");
    long tombstone = node.tombstone("k", claim.cas(), 30);
    assertTrue(node.get("k").isTombstone());
    assertEquals(-1, node.tombstone("k", claim.cas(), 30), "a tombstone over a changed item");
    assertEquals(WriteOutcome.APPLIED, node.delete("k", tombstone));
  }

  @Test
  void anExpiredItemIsGone() {
    node.setAsync("k", -1, BYTES).await();
    assertNull(node.get("k"));
    assertTrue(node.getMulti(List.of("k")).isEmpty());
  }

  @Test
  void scriptedFaultsHappenOnceWhereScripted() {
    node.script().hangs(Op.SET, "k").failsAfterApplying(Op.ADD, "k");
    node.setAsync("other", 0, BYTES).await(); // another key: not scripted
    NodeUnavailableException hung = assertThrows(NodeUnavailableException.class,
        () -> node.setAsync("k", 0, BYTES).await());
    assertEquals(NodeUnavailableException.Kind.TIMEOUT, hung.kind());
    assertNull(node.get("k"), "a hung set is not applied");
    assertThrows(NodeUnavailableException.class, () -> node.add("k", 0, BYTES));
    assertEquals(WriteOutcome.CONFLICT, node.add("k", 0, BYTES), "the timed-out add was applied");
    assertTrue(node.script().isDone());
  }

  @Test
  void aKilledNodeRefusesConnectionsAndComesBackEmpty() {
    node.setAsync("k", 0, BYTES).await();
    node.kill();
    assertTrue(node.refusesConnections());
    NodeUnavailableException down = assertThrows(NodeUnavailableException.class, () -> node.get("k"));
    assertEquals(NodeUnavailableException.Kind.NO_CONNECTION, down.kind());
    node.restart();
    assertFalse(node.refusesConnections());
    assertNull(node.get("k"));
  }
}
