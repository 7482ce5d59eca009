package io.memjcache.management;

import io.memjcache.logging.Log;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.jspecify.annotations.Nullable;

/**
 * Counts the bad items of every cache of this JVM and logs them at a bounded rate: at most one
 * warning per {@link #LOG_INTERVAL_NANOS}, carrying how many were found since the last one, so that
 * an attacker writing garbage cannot flood the log.
 */
public final class BadEntries implements BadEntriesMXBean {

  /** The one instance; {@link #register} makes it visible in JMX. */
  public static final BadEntries INSTANCE = new BadEntries();

  static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

  private static final Log LOG = Log.of(BadEntries.class);

  private final AtomicLong found = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private final AtomicLong unlogged = new AtomicLong();
  private final AtomicLong nextLogNanos = new AtomicLong(System.nanoTime());
  private volatile String lastReason = "";

  private BadEntries() {}

  /** Registers the instance in the platform MBean server, unless it is there already. */
  public static void register() {
    try {
      JmxRegistration.register(new ObjectName("io.memjcache:type=BadEntries"), INSTANCE, BadEntriesMXBean.class);
    } catch (MalformedObjectNameException e) {
      throw new AssertionError(e);
    }
  }

  /** Records a bad item, and logs it unless a warning was logged less than the interval ago. */
  public void found(String memcachedKey, @Nullable String reason) {
    found.incrementAndGet();
    String described = memcachedKey + ": " + reason;
    lastReason = described;
    unlogged.incrementAndGet();
    long now = System.nanoTime();
    long next = nextLogNanos.get();
    if (now - next >= 0 && nextLogNanos.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
      long count = unlogged.getAndSet(0);
      LOG.warning(() -> count + " bad stored item(s) read as misses since the last report;"
          + " latest " + described);
    }
  }

  public void deleted() {
    deleted.incrementAndGet();
  }

  @Override
  public long getFound() {
    return found.get();
  }

  @Override
  public long getDeleted() {
    return deleted.get();
  }

  @Override
  public String getLastReason() {
    return lastReason;
  }
}
