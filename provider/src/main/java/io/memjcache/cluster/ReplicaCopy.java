package io.memjcache.cluster;

import io.memjcache.codec.EnvelopeCodec;
import io.memjcache.expiry.ExpiryTimes;
import java.util.Arrays;

/**
 * Copies an item read from one replica onto another that lacks it, without ever overwriting a newer
 * write and without resurrecting a delete made while the copy was under way.
 */
final class ReplicaCopy {

  private ReplicaCopy() {}

  /** What a copy did. */
  enum Result {
    /** The target holds the copy. */
    COPIED,
    /** The target already had the key: a write reached it first, and it stays. */
    TARGET_HAD_IT,
    /** Nothing to copy: the item has expired, is not an entry, or was deleted while copying. */
    NOTHING
  }

  /**
   * Copies {@code item}, read from {@code from}, onto {@code to} with {@code add} (a write that
   * reached {@code to} meanwhile stays), then checks that {@code from} still has the key: a delete
   * may have passed {@code to} before the copy landed, and then the copy is taken back.
   */
  static Result copy(String key, StoredItem item, NodeClient from, NodeClient to) {
    long expiresAt = EnvelopeCodec.expiresAtOf(item.flags(), item.bytes());
    long now = System.currentTimeMillis();
    if (expiresAt == Long.MIN_VALUE || expiresAt <= now) {
      return Result.NOTHING;
    }
    if (to.add(key, ExpiryTimes.exptime(expiresAt, now), item.bytes()) != WriteOutcome.APPLIED) {
      return Result.TARGET_HAD_IT;
    }
    if (from.get(key) != null) {
      return Result.COPIED;
    }
    StoredItem copied = to.gets(key);
    if (copied != null && Arrays.equals(copied.bytes(), item.bytes())) {
      to.delete(key, copied.cas()); // only the copy: a write made since carries another version
    }
    return Result.NOTHING;
  }
}
