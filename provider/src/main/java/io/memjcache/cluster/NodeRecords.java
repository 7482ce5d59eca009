package io.memjcache.cluster;

import java.util.function.Predicate;

/**
 * The cluster's own records on its nodes, signed with the shared secret ({@link SignedText}): each
 * node's {@link MembershipMark}, the {@link DownNotice}s it holds about other nodes, and the
 * {@link ServerListRecord}s of the clients using it. None has an entry key, so listing, iteration
 * and repair pass them by. A record that is not one, or not signed with this client's secret,
 * reads as none.
 */
final class NodeRecords {

  private final RecordSigner auth;

  NodeRecords(RecordSigner auth) {
    this.auth = auth;
  }

  /** Returns the node's membership mark, or null if it has none; doubles as a health probe. */
  MembershipMark mark(Node node) {
    return markIn(node.get(MembershipMark.KEY));
  }

  /**
   * Returns the node's mark like {@link #mark}, first waiting (at most one operation timeout) for
   * a connection that dropped to come back: a node that restarted meanwhile answers with its new
   * mark instead of the operation being cancelled.
   */
  MembershipMark markOnceConnected(Node node) {
    node.awaitConnection();
    return mark(node);
  }

  /** The mark an item read from {@link MembershipMark#KEY} holds, or null (none, or forged). */
  MembershipMark markIn(StoredItem item) {
    return item == null ? null : MembershipMark.decode(item.bytes(), auth);
  }

  /** Marks the node, unless it already has a mark. */
  boolean addMark(Node node, MembershipMark mark) {
    return node.addRecord(MembershipMark.KEY, mark.encode(auth));
  }

  /**
   * Replaces the mark with {@code next} if the node still carries the mark of epoch
   * {@code expectedEpoch}, atomically (CAS): of two clients doing so at once, one wins.
   */
  boolean replaceMark(Node node, long expectedEpoch, MembershipMark next) {
    StoredItem current = node.gets(MembershipMark.KEY);
    MembershipMark mark = markIn(current);
    return mark != null && mark.epoch() == expectedEpoch && replaceMarkItem(node, current, next);
  }

  /**
   * Replaces the mark item with {@code next} if it holds no mark {@code obeyable} accepts: none a
   * client with this secret wrote, or (by the predicate) one with an implausible switch time.
   */
  boolean replaceUnusableMark(Node node, MembershipMark next, Predicate<MembershipMark> obeyable) {
    StoredItem current = node.gets(MembershipMark.KEY);
    MembershipMark mark = markIn(current);
    return current != null && (mark == null || !obeyable.test(mark)) && replaceMarkItem(node, current, next);
  }

  private boolean replaceMarkItem(Node node, StoredItem current, MembershipMark next) {
    return node.casRecord(MembershipMark.KEY, current.cas(), next.encode(auth));
  }

  /** Leaves a notice about another node on {@code holder}, for {@code ttlSeconds}. */
  void setNotice(Node holder, String key, DownNotice notice, int ttlSeconds) {
    holder.setRecord(key, ttlSeconds, notice.encode(auth));
  }

  /** The down notice an item holds, or null (none, or forged). */
  DownNotice noticeIn(StoredItem item) {
    return item == null ? null : DownNotice.decode(item.bytes(), auth);
  }

  /** The server list record an item holds, or null (none, or forged). */
  ServerListRecord serverListIn(StoredItem item) {
    return item == null ? null : ServerListRecord.decode(item.bytes(), auth);
  }

  /** Leaves a server list record, unless the node already has one. */
  void addServerList(Node node, ServerListRecord record) {
    node.addRecord(ServerListRecord.KEY, record.encode(auth));
  }

  /** Sets a server list record under {@code key} for {@code ttlSeconds}. */
  void setServerList(Node node, String key, ServerListRecord record, int ttlSeconds) {
    node.setRecord(key, ttlSeconds, record.encode(auth));
  }

  /** Replaces the server list record read as {@code current} (CAS: false if it changed since). */
  boolean replaceServerList(Node node, StoredItem current, ServerListRecord next) {
    return node.casRecord(ServerListRecord.KEY, current.cas(), next.encode(auth));
  }
}
