package io.memjcache.management;

import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * The JSR-107 statistics of one cache in this JVM. Counters are per JVM: memcached keeps no
 * per-cache counts, and other JVMs' operations are theirs to count. Times are in microseconds.
 */
public final class CacheStatistics implements CacheStatisticsMXBean {

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder removals = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder getNanos = new LongAdder();
  private final LongAdder putNanos = new LongAdder();
  private final LongAdder removeNanos = new LongAdder();

  public void hits(long n) {
    hits.add(n);
  }

  public void misses(long n) {
    misses.add(n);
  }

  public void puts(long n) {
    puts.add(n);
  }

  public void removals(long n) {
    removals.add(n);
  }

  public void getTime(long startNanos) {
    getNanos.add(System.nanoTime() - startNanos);
  }

  public void putTime(long startNanos) {
    putNanos.add(System.nanoTime() - startNanos);
  }

  public void removeTime(long startNanos) {
    removeNanos.add(System.nanoTime() - startNanos);
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
