package io.memjcache.processor;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Turns, within this JVM, for the read-modify-write of one key: threads updating the same key queue
 * here, first come first served, instead of reading the same item and colliding at memcached, where
 * all but one lose their CAS and start again (16 threads on one hot key lost about five CAS each per
 * increment, and served fewer increments than one thread alone). Across JVMs CAS still decides,
 * with {@link ConflictBackoff}.
 *
 * <p>Only a speed-up: correctness rests on CAS alone. A turn is therefore never waited for longer
 * than {@link #WAIT_MILLIS}; after that (an update held up by a slow node or loader, or two entry
 * processors each updating the other's key) the thread goes on without its turn, so no nesting of
 * updates can deadlock. Keys share a fixed number of locks (stripes) by hash; reentrant, so an
 * update nested in another on a key of the same stripe does not wait for itself.
 */
public final class LocalTurns {

  static final int STRIPES = 256;
  static final long WAIT_MILLIS = 1_000;

  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  LocalTurns() {
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock(true); // fair: no writer of this JVM is starved by the others
    }
  }

  /** Waits for the key's turn, at most {@link #WAIT_MILLIS}; returns the lock to release, or null. */
  @Nullable ReentrantLock await(String memcachedKey) {
    ReentrantLock lock = locks[stripe(memcachedKey)];
    try {
      return lock.tryLock(WAIT_MILLIS, TimeUnit.MILLISECONDS) ? lock : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the update goes on without its turn; the caller sees the flag
      return null;
    }
  }

  /** The stripe of a key: keys of one stripe share their turns. */
  public static int stripe(String memcachedKey) {
    int h = memcachedKey.hashCode();
    return (h ^ (h >>> 16)) & (STRIPES - 1);
  }
}
