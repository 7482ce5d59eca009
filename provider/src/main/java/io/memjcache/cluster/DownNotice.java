package io.memjcache.cluster;


/**
 * One client's verdict that a node is down, left on every other node so that all clients follow it
 * at the same moment: from {@code fromMillis} on, the node's keys go to stand-ins for everyone, also
 * for clients that can still reach it (a partition seen by one client alone), so that no two
 * clients ever arbitrate a key on different nodes. It applies to the node's life {@code epoch}
 * only: once the node is flushed and marked anew, the notice is moot.
 */
record DownNotice(long epoch, long fromMillis) {

  private static final String FORMAT = "memjcache-down-v1";

  /** The item holding notices about {@code server}; not an entry key (see KeyCodec.isEntryKey). */
  static String keyFor(ServerAddress server) {
    return "memjcache:down:" + server;
  }

  /** The notice's bytes, signed with the secret if one is set (see {@link SignedText}). */
  byte[] encode(RecordSigner auth) {
    return SignedText.sign(FORMAT + " " + epoch + " " + fromMillis, auth);
  }

  /** Returns the notice, or null if the bytes are not one, or not signed when a secret is set. */
  static DownNotice decode(byte[] bytes, RecordSigner auth) {
    if (bytes == null || bytes.length > 200) {
      return null;
    }
    String text = SignedText.open(bytes, auth);
    if (text == null) {
      return null;
    }
    String[] parts = text.split(" ");
    if (parts.length != 3 || !parts[0].equals(FORMAT)) {
      return null;
    }
    try {
      return new DownNotice(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Returns if a client may obey it: no further ahead than a verdict is ever set (see MembershipMark). */
  boolean plausibleAt(long nowMillis, long maxDelayMillis) {
    return fromMillis <= nowMillis + maxDelayMillis;
  }
}
