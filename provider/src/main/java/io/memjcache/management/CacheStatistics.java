package io.memjcache.management;

import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * The JSR-107 statistics of one cache in this JVM. Counters are per JVM: memcached keeps no
 * per-cache counts, and other JVMs' operations are theirs to count. Times are in microseconds.
 * While statistics are disabled, recording does nothing.
 */
public final class CacheStatistics implements CacheStatisticsMXBean {

  private volatile boolean enabled;

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder removals = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder getNanos = new LongAdder();
  private final LongAdder putNanos = new LongAdder();
  private final LongAdder removeNanos = new LongAdder();

  /** Statistics of a cache, all zero and disabled. */
  public CacheStatistics() {}

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Returns if operations are being counted. */
  public boolean isEnabled() {
    return enabled;
  }

  public void hits(long n) {
    if (enabled && n > 0) {
      hits.add(n);
    }
  }

  public void misses(long n) {
    if (enabled && n > 0) {
      misses.add(n);
    }
  }

  public void hitOrMiss(boolean hit) {
    if (hit) {
      hits(1);
    } else {
      misses(1);
    }
  }

  /** Records {@code n} puts and, if any, the time since {@code startNanos}. */
  public void puts(long n, long startNanos) {
    if (enabled && n > 0) {
      puts.add(n);
      putNanos.add(System.nanoTime() - startNanos);
    }
  }

  /** Records {@code n} removals and, if any, the time since {@code startNanos}. */
  public void removals(long n, long startNanos) {
    if (enabled && n > 0) {
      removals.add(n);
      removeNanos.add(System.nanoTime() - startNanos);
    }
  }

  public void getTime(long startNanos) {
    if (enabled) {
      getNanos.add(System.nanoTime() - startNanos);
    }
  }

  @Override
  public void clear() {
    for (LongAdder adder : new LongAdder[] {hits, misses, puts, removals, evictions, getNanos,
        putNanos, removeNanos}) {
      adder.reset();
    }
  }

  @Override
  public long getCacheHits() {
    return hits.sum();
  }

  @Override
  public float getCacheHitPercentage() {
    long gets = getCacheGets();
    return gets == 0 ? 0f : getCacheHits() * 100f / gets;
  }

  @Override
  public long getCacheMisses() {
    return misses.sum();
  }

  @Override
  public float getCacheMissPercentage() {
    long gets = getCacheGets();
    return gets == 0 ? 0f : getCacheMisses() * 100f / gets;
  }

  @Override
  public long getCacheGets() {
    return hits.sum() + misses.sum();
  }

  @Override
  public long getCachePuts() {
    return puts.sum();
  }

  @Override
  public long getCacheRemovals() {
    return removals.sum();
  }

  /** Always 0: memcached evicts on its own and tells no client. */
  @Override
  public long getCacheEvictions() {
    return evictions.sum();
  }

  @Override
  public float getAverageGetTime() {
    return average(getNanos, getCacheGets());
  }

  @Override
  public float getAveragePutTime() {
    return average(putNanos, getCachePuts());
  }

  @Override
  public float getAverageRemoveTime() {
    return average(removeNanos, getCacheRemovals());
  }

  private static float average(LongAdder nanos, long count) {
    return count == 0 ? 0f : nanos.sum() / 1000f / count;
  }
}
