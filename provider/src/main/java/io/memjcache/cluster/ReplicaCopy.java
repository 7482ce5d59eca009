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
   * Copies {@code item}, read from {@code from}, onto {@code to} with {@code add}: a write that
   * reached {@code to} meanwhile stays.
   */
  static Result copy(String key, StoredItem item, NodeClient from, NodeClient to) {
    return store(key, item, from, to, null);
  }

  /**
   * Brings {@code to}'s entry of a key in line with {@code from}'s, where {@code from} received every
   * write acknowledged since {@code to}'s switch time: a missing or older entry (lower write
   * version) is replaced by a copy, and an entry written before the switch that {@code from} no
   * longer holds (a write of a client that learned of {@code to}'s flush late, deleted since) is
   * removed. An entry written to {@code to} after the switch stays: its copy to {@code from} may
   * still be under way.
   */
  static Result reconcile(String key, NodeClient from, NodeClient to, long switchAtMillis) {
    StoredItem source = from.get(key);
    StoredItem target = to.gets(key);
    if (source == null || source.isTombstone()) {
      if (target != null && !target.isTombstone() && versionOf(target) < switchAtMillis << 16) {
        to.delete(key, target.cas());
      }
      return Result.NOTHING;
    }
    if (target != null && (target.isTombstone() || versionOf(target) >= versionOf(source))) {
      return Result.TARGET_HAD_IT; // a newer write, or a delete under way: never undone by a copy
    }
    return store(key, source, from, to, target);
  }

  private static long versionOf(StoredItem item) {
    return EnvelopeCodec.versionOf(item.flags(), item.bytes());
  }

  /**
   * Stores {@code item} on {@code to} with {@code add}, or by CAS over {@code replaced}, then checks
   * that {@code from} still has the key: a delete may have passed {@code to} before the copy
   * landed, and then the copy is taken back.
   */
  private static Result store(String key, StoredItem item, NodeClient from, NodeClient to,
      StoredItem replaced) {
    long expiresAt = EnvelopeCodec.expiresAtOf(item.flags(), item.bytes());
    long now = System.currentTimeMillis();
    if (expiresAt == Long.MIN_VALUE || expiresAt <= now) {
      return Result.NOTHING;
    }
    int exptime = ExpiryTimes.exptime(expiresAt, now);
    WriteOutcome outcome = replaced == null
        ? to.add(key, exptime, item.bytes())
        : to.cas(key, replaced.cas(), exptime, item.bytes());
    if (outcome != WriteOutcome.APPLIED) {
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
