package io.memjcache.bench;

/**
 * replace(k, old, new) that succeeds: one thread's own keys, taken in turn, each flipped between two
 * values, so that no other thread changes them underneath. The workload of {@link CacheBench#replace}
 * and of {@link CpuProbe}'s replace.
 */
final class OwnKeyFlips {
  private final String[] keys;
  private final boolean[] holdsB;
  private final byte[] a;
  private final byte[] b;
  private int cursor;

  /** The keys must hold {@code a} to begin with. */
  OwnKeyFlips(String[] keys, byte[] a, byte[] b) {
    this.keys = keys;
    this.holdsB = new boolean[keys.length];
    this.a = a;
    this.b = b;
  }

  boolean replaceNext(Store store) {
    int index = cursor;
    cursor = (index + 1) % keys.length;
    boolean flipped = holdsB[index];
    boolean replaced = flipped ? store.replace(keys[index], b, a) : store.replace(keys[index], a, b);
    if (replaced) {
      holdsB[index] = !flipped;
    }
    return replaced;
  }
}
