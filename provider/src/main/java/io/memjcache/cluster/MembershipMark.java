package io.memjcache.cluster;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The mark a node carries of its current life, kept on the node itself so that every client reads
 * the same one: which flush the node's contents date from ({@code epoch}), from when clients may
 * route keys to it ({@code switchAtMillis}, wall-clock time), and whether the entries it missed
 * have all been copied back to it ({@code repaired}).
 *
 * <p>A flush wipes the mark with everything else, so a node without one has lost its contents
 * (restarted, or flushed by an operator) and must be flushed and marked again before use.
 */
record MembershipMark(long epoch, long switchAtMillis, boolean repaired) {

  /** Not an entry key (see KeyCodec.isEntryKey), so listing, iteration and repair pass it by. */
  static final String KEY = "memjcache:membership";

  private static final String FORMAT = "memjcache-membership-v2";
  /** Marks written before the repair state was kept in them: taken as repaired. */
  private static final String FORMAT_V1 = "memjcache-membership-v1";

  MembershipMark {
    if (epoch == 0) {
      throw new IllegalArgumentException("epoch 0 means unknown");
    }
  }

  /** A mark for a node flushed now, usable from {@code switchAtMillis}, not yet repaired. */
  static MembershipMark fresh(long switchAtMillis) {
    long epoch;
    do {
      epoch = ThreadLocalRandom.current().nextLong();
    } while (epoch == 0);
    return new MembershipMark(epoch, switchAtMillis, false);
  }

  MembershipMark asRepaired() {
    return new MembershipMark(epoch, switchAtMillis, true);
  }

  /** The mark's bytes, signed with the secret if one is set (see {@link SignedText}). */
  byte[] encode(RecordSigner auth) {
    return SignedText.sign(FORMAT + " " + epoch + " " + switchAtMillis + " " + (repaired ? 1 : 0), auth);
  }

  /**
   * Returns the mark, or null if the bytes are not one, or not signed with the secret when one is
   * set (then the node is treated as unmarked).
   */
  static MembershipMark decode(byte[] bytes, RecordSigner auth) {
    if (bytes == null || bytes.length > 200) {
      return null;
    }
    String text = SignedText.open(bytes, auth);
    if (text == null) {
      return null;
    }
    String[] parts = text.split(" ");
    boolean v2 = parts.length == 4 && parts[0].equals(FORMAT);
    if (!v2 && !(parts.length == 3 && parts[0].equals(FORMAT_V1))) {
      return null;
    }
    try {
      long epoch = Long.parseLong(parts[1]);
      boolean repaired = !v2 || parts[3].equals("1");
      return epoch == 0 ? null : new MembershipMark(epoch, Long.parseLong(parts[2]), repaired);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Returns if a client may obey this mark: its switch time is no further ahead than a switch is
   * ever set ({@code maxDelayMillis}). Anyone who reaches the port can write a mark; one that would
   * keep a node out of use for an hour is forged or from a broken clock.
   */
  boolean plausibleAt(long nowMillis, long maxDelayMillis) {
    return switchAtMillis <= nowMillis + maxDelayMillis;
  }
}
