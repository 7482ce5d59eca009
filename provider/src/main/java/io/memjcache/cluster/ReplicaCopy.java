package io.memjcache.cluster;

import java.util.function.Predicate;

/**
 * Copies an item from one replica onto another that lacks it (or holds an older one), without ever
 * overwriting a newer write and without bringing back a delete.
 *
 * <p>Every copy is fenced on the target: the target's item is read first (where it has none, a copy
 * claim is put there), then the source, and the copy replaces the target's item by CAS, so a write
 * or delete reaching the target after the fence makes it fail. A delete that the source had not yet
 * seen when read reaches the target after the fence: deletes go to a key's lead last, and leave a
 * tombstone (which no copy replaces) on a node being repaired, the only other targets of copies.
 * Taking a copy back afterwards would not do: readers would see it meanwhile, and forever if the
 * copying client stopped in between.
 */
final class ReplicaCopy {

  /** How long a claim outlives a copying client that stopped in the middle; readers pass over it. */
  static final int CLAIM_SECONDS = 30;

  private ReplicaCopy() {}

  /** What a copy did. */
  enum Result {
    /** The target holds the copy. */
    COPIED,
    /** The target changed, or holds a newer entry or a delete under way: it stays. */
    TARGET_HAD_IT,
    /** Nothing to copy: the source has no entry that may be copied (it may have been deleted). */
    NOTHING
  }

  /**
   * Copies onto {@code to}, which missed the key or holds {@code claim} (another copy's), the item
   * {@code from} holds, if {@code copyable} accepts it.
   */
  static Result copyOnto(ItemFormat format, String key, Node from, Node to, StoredItem claim,
      Predicate<StoredItem> copyable) {
    return fenced(format, key, from, to, claim, copyable, Long.MIN_VALUE);
  }

  /**
   * Brings {@code to}'s entry of a key in line with {@code from}'s, where {@code from} received every
   * write acknowledged since {@code to}'s switch time: a missing or older entry (lower write
   * version) is replaced by a copy, and an entry written before the switch that {@code from} no
   * longer holds (a write of a client that learned of {@code to}'s flush late, deleted since) is
   * removed. An entry written to {@code to} after the switch stays: its copy to {@code from} may
   * still be under way.
   */
  static Result reconcile(ItemFormat format, String key, Node from, Node to,
      long switchAtMillis) {
    return fenced(format, key, from, to, to.gets(key), item -> true, switchAtMillis << 16);
  }

  /**
   * The copy, fenced on {@code target}, what {@code to} held (null: nothing); when the source has
   * nothing to copy, a target entry older than {@code staleBelow} is removed (and a claim released).
   */
  private static Result fenced(ItemFormat format, String key, Node from, Node to, StoredItem target,
      Predicate<StoredItem> copyable, long staleBelow) {
    if (target != null && target.isTombstone()) {
      return Result.TARGET_HAD_IT; // a delete under way: never undone by a copy
    }
    StoredItem fence = target != null ? target : to.claim(key, CLAIM_SECONDS);
    if (fence == null) {
      return Result.TARGET_HAD_IT; // a write reached it first
    }
    StoredItem source = from.get(key);
    long expiresAt = format.expiresAtOf(source);
    long now = System.currentTimeMillis();
    if (expiresAt <= now || !copyable.test(source)) {
      if (fence.isClaim() || format.versionOf(fence) < staleBelow) {
        to.delete(key, fence.cas()); // changed since: then it stays
      }
      return Result.NOTHING;
    }
    if (!fence.isClaim() && format.versionOf(fence) >= format.versionOf(source)) {
      return Result.TARGET_HAD_IT; // a newer write
    }
    WriteOutcome outcome = to.cas(key, fence.cas(), format.exptime(expiresAt, now), source.bytes());
    return outcome == WriteOutcome.APPLIED ? Result.COPIED : Result.TARGET_HAD_IT;
  }
}
