package io.memjcache.cluster;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The mark a node carries of its current life, kept on the node itself so that every client reads
 * the same one: which flush the node's contents date from ({@code epoch}), and from when clients
 * may route keys to it ({@code switchAtMillis}, wall-clock time).
 *
 * <p>A flush wipes the mark with everything else, so a node without one has lost its contents
 * (restarted, or flushed by an operator) and one still showing the epoch a client knew from before
 * an outage has come back with data that may be stale; either way it must be flushed before use.
 */
record MembershipMark(long epoch, long switchAtMillis) {

  /** Not an entry key (see KeyCodec.isEntryKey), so listing, iteration and repair pass it by. */
  static final String KEY = "memjcache:membership";

  private static final String FORMAT = "memjcache-membership-v1";

  MembershipMark {
    if (epoch == 0) {
      throw new IllegalArgumentException("epoch 0 means unknown");
    }
  }

  /** A mark for a node flushed now, usable from {@code switchAtMillis}. */
  static MembershipMark fresh(long switchAtMillis) {
    long epoch;
    do {
      epoch = ThreadLocalRandom.current().nextLong();
    } while (epoch == 0);
    return new MembershipMark(epoch, switchAtMillis);
  }

  byte[] encode() {
    return (FORMAT + " " + epoch + " " + switchAtMillis).getBytes(StandardCharsets.US_ASCII);
  }

  /** Returns the mark, or null if the bytes are not one (then the node is treated as unmarked). */
  static MembershipMark decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    String[] parts = new String(bytes, StandardCharsets.US_ASCII).split(" ");
    if (parts.length != 3 || !parts[0].equals(FORMAT)) {
      return null;
    }
    try {
      long epoch = Long.parseLong(parts[1]);
      return epoch == 0 ? null : new MembershipMark(epoch, Long.parseLong(parts[2]));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
