package io.memjcache.bench.bulk;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The client heap one operation uses, in two figures: the peak of used heap (the sum of the heap
 * pools' peaks since {@link #start()}: an upper bound, garbage not yet collected included) and the
 * most heap any collection during the operation left in use (what the operation held live, plus
 * what was collected only later). The second is the one that grows with entries held; the first
 * shows how close the operation came to the cap.
 */
final class HeapWatch implements NotificationListener {

  private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(pool -> pool.getType() == MemoryType.HEAP)
      .toList();
  private final AtomicLong maxAfterGc = new AtomicLong();
  /** JVM uptime at {@link #start()}: collections that began before it are an earlier operation's. */
  private volatile long startedAtUptimeMs;

  HeapWatch() {
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) collector).addNotificationListener(this, null, null);
    }
  }

  /** Collects what earlier work left, then starts counting from the heap that is live now. */
  void start() {
    System.gc();
    startedAtUptimeMs = ManagementFactory.getRuntimeMXBean().getUptime();
    heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
    maxAfterGc.set(usedNow());
  }

  /** Peak used heap since {@link #start()}, in bytes. */
  long peakUsed() {
    return heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
  }

  /** The most heap a collection since {@link #start()} left in use, in bytes. */
  long maxLiveAfterGc() {
    return maxAfterGc.get();
  }

  @Override
  public void handleNotification(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    if (info.getGcInfo().getStartTime() < startedAtUptimeMs) {
      return; // notifications arrive late: this one is the reload's or the start's System.gc()
    }
    long after = 0;
    for (MemoryPoolMXBean pool : heapPools) {
      MemoryUsage usage = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
      after += usage == null ? 0 : usage.getUsed();
    }
    maxAfterGc.accumulateAndGet(after, Math::max);
  }

  private long usedNow() {
    return heapPools.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
  }
}
