package io.memjcache.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.cluster.health.NodeState;
import io.memjcache.codec.KeyCodec;
import io.memjcache.security.KeyRing;
import io.memjcache.security.MessageAuthenticator;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The membership mark's and server list record's encodings and the routing rule of a node's view: pure logic. */
class MembershipTest {

  private static final MessageAuthenticator NONE = KeyRing.NONE.authenticator();
  private static final MessageAuthenticator SIGNED = KeyRing.parse("test",
      Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)))
      .authenticator();
  private static final MessageAuthenticator OTHER = KeyRing.parse("test",
      Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII)))
      .authenticator();

  @Test
  void withASecretOnlyMarksAndNoticesSignedWithItAreObeyed() {
    MembershipMark mark = new MembershipMark(7, 1000, true);
    assertEquals(mark, MembershipMark.decode(mark.encode(SIGNED), SIGNED));
    assertNull(MembershipMark.decode(mark.encode(NONE), SIGNED), "unsigned: anyone could have written it");
    assertNull(MembershipMark.decode(mark.encode(OTHER), SIGNED), "signed with another secret");
    String tampered = new String(mark.encode(SIGNED), StandardCharsets.US_ASCII).replace(" 1000 ", " 9000 ");
    assertNull(MembershipMark.decode(tampered.getBytes(StandardCharsets.US_ASCII), SIGNED));
    assertEquals(mark, MembershipMark.decode(mark.encode(SIGNED), NONE), "without a secret: read, not checked");
    DownNotice notice = new DownNotice(7, 1000);
    assertEquals(notice, DownNotice.decode(notice.encode(SIGNED), SIGNED));
    assertNull(DownNotice.decode(notice.encode(NONE), SIGNED));
    assertNull(DownNotice.decode(notice.encode(OTHER), SIGNED));
  }

  @Test
  void aMarkSurvivesItsEncoding() {
    MembershipMark mark = MembershipMark.fresh(1_764_000_000_123L);
    assertEquals(mark, MembershipMark.decode(mark.encode(NONE), NONE));
  }

  @Test
  void freshMarksHaveDistinctNonZeroEpochs() {
    MembershipMark one = MembershipMark.fresh(0);
    MembershipMark two = MembershipMark.fresh(0);
    assertNotEquals(0, one.epoch());
    assertNotEquals(one.epoch(), two.epoch());
  }

  @Test
  void anythingElseIsNoMark() {
    assertNull(MembershipMark.decode(null, NONE));
    for (String text : new String[] {"", "garbage", "memjcache-membership-v1 1", "memjcache-membership-v1 x 2",
        "memjcache-membership-v1 0 5", "memjcache-membership-v2 1 2", "memjcache-membership-v1 1 2 3",
        "memjcache-membership-v2 1 2 3 4"}) {
      assertNull(MembershipMark.decode(text.getBytes(StandardCharsets.US_ASCII), NONE), text);
    }
    assertThrows(IllegalArgumentException.class, () -> new MembershipMark(0, 1, true));
  }

  @Test
  void theMarkIsNeverTakenForAnEntry() {
    assertFalse(KeyCodec.isEntryKey(MembershipMark.KEY));
  }

  @Test
  void aJoiningNodeIsRoutedToFromItsSwitchTimeExactly() {
    NodeView joining = NodeView.joining(new MembershipMark(7, 1000, false), false);
    assertFalse(joining.usableAt(999));
    assertTrue(joining.usableAt(1000));
    assertEquals(NodeState.JOINING, joining.shownAt(999));
    assertEquals(NodeState.REPAIRING, joining.shownAt(1000), "in use, but not UP before its repair");
  }

  @Test
  void aNodeInUseIsUpOnlyOnceItsMarkSaysRepaired() {
    assertEquals(NodeState.REPAIRING, NodeView.inUse(new MembershipMark(7, 0, false)).state());
    assertEquals(NodeState.UP, NodeView.inUse(new MembershipMark(7, 0, true)).state());
    MembershipMark pending = MembershipMark.fresh(5);
    assertEquals(pending.asRepaired(), MembershipMark.decode(pending.asRepaired().encode(NONE), NONE));
    assertFalse(MembershipMark.decode(pending.encode(NONE), NONE).repaired());
    assertTrue(MembershipMark.decode("memjcache-membership-v1 7 0".getBytes(StandardCharsets.US_ASCII), NONE)
        .repaired(), "a mark from before the repair state was kept is taken as repaired");
  }

  @Test
  void aSwitchTimeFurtherAheadThanAnyClientSetsIsNotObeyed() {
    MembershipMark forged = new MembershipMark(7, 1_000_000, false);
    assertFalse(forged.plausibleAt(0, 10_000));
    assertTrue(forged.plausibleAt(990_000, 10_000));
  }

  @Test
  void aSuspectedNodeKeepsItsWritesButNotItsReadsFirst() {
    NodeView suspected = NodeView.inUse(new MembershipMark(7, 0, true)).suspected(42);
    assertTrue(suspected.usableAt(0), "its keys are never routed to a stand-in on a suspicion");
    assertEquals(NodeState.SUSPECTED, suspected.state());
    assertEquals(7, suspected.epoch());
    assertEquals(42, suspected.sinceMillis());
  }

  @Test
  void downIsNeverRoutedToAndKeepsTheEpochItKnew() {
    NodeView up = NodeView.inUse(new MembershipMark(7, 0, true));
    NodeView down = up.down(0);
    assertFalse(down.usableAt(Long.MAX_VALUE));
    assertEquals(7, down.epoch());
    assertTrue(up.usableAt(0));
    assertTrue(up.withState(NodeState.REPAIRING).usableAt(0));
  }

  @Test
  void aServerListRecordNamesTheListAsConfiguredAndIsReadOnlyWithinBounds() {
    String list = ServerListRecord.of(
        List.of(new ServerAddress("10.0.0.1", 11211, 1), new ServerAddress("10.0.0.2", 11211, 3)),
        List.of(new ServerAddress("10.0.0.9", 11211, 1)));
    assertEquals("10.0.0.1:11211,10.0.0.2:11211:3 backup 10.0.0.9:11211", list);
    ServerListRecord record = new ServerListRecord(list, 1000, 5000);
    assertEquals(record, ServerListRecord.decode(record.encode(NONE), NONE));
    assertEquals(record, ServerListRecord.decode(record.encode(SIGNED), SIGNED));
    assertNull(ServerListRecord.decode(record.encode(NONE), SIGNED), "unsigned, with a secret set");
    assertNull(ServerListRecord.decode(record.encode(OTHER), SIGNED), "signed with another secret");
    for (String bad : new String[] {"", "memjcache-servers-v1 0 5000 a:1", "memjcache-servers-v1 600001 5000 a:1",
        "memjcache-servers-v1 x 5000 a:1", "memjcache-servers-v1 1000 5000", "other 1000 5000 a:1"}) {
      assertNull(ServerListRecord.decode(bad.getBytes(StandardCharsets.US_ASCII), NONE), bad);
    }
    assertNull(ServerListRecord.decode(new byte[20_000], NONE), "longer than any list");
    assertFalse(record.abandonedAt(5000 + 3 * 1000 + 500, 500), "refreshed within three intervals and a grace");
    assertTrue(record.abandonedAt(5000 + 3 * 1000 + 501, 500));
  }
}
