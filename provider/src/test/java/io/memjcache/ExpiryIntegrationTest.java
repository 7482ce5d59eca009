package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.Factory;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN invariant 6 against real servers: the TTL memcached holds (meta {@code mg <key> t}) is the
 * policy's duration rounded up, on every replica; entries are never returned after their JCache
 * expiry; memcached frees them by itself shortly after.
 */
class ExpiryIntegrationTest {

  static MemcachedCluster cluster;
  static CacheManager manager;
  static int caches;

  @BeforeAll
  static void start() {
    cluster = MemcachedCluster.start(3);
    manager = Clients.manager(cluster, "expiry:test");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Cache<String, String> cache(Factory<? extends ExpiryPolicy> policy) {
    return manager.createCache("c" + caches++, new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class).setExpiryPolicyFactory(policy));
  }

  /** The TTLs memcached reports for a cache key, one per node holding it (-1: no expiry). */
  private static List<Integer> serverTtls(Cache<String, String> cache, String key) throws IOException {
    String memcachedKey = Clients.memcachedKey(manager, cache.getName(), key);
    List<Integer> ttls = new ArrayList<>();
    for (MemcachedProcess node : cluster.nodes()) {
      String reply = node.command("mg " + memcachedKey + " t").trim();
      if (reply.startsWith("HD")) {
        ttls.add(Integer.parseInt(reply.substring(reply.indexOf(" t") + 2).trim()));
      }
    }
    return ttls;
  }

  /** Asserts the TTL memcached holds for a duration of {@code seconds}: rounded up, plus the tick margin. */
  private static void assertTtl(int seconds, List<Integer> ttls) {
    int expectedSeconds = seconds + 1;
    assertEquals(2, ttls.size(), "both replicas hold the entry: " + ttls);
    for (int ttl : ttls) {
      // the server's clock may tick a second between the write and this read
      assertTrue(ttl == expectedSeconds || ttl == expectedSeconds - 1, "ttl " + ttls + " for " + expectedSeconds);
    }
  }

  @Test
  void creationDurationBecomesTheServerTtlRoundedUp() throws Exception {
    Cache<String, String> cache = cache(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 20_300)));
    cache.put("k", "v");
    assertTtl(21, serverTtls(cache, "k")); // 20.3 s rounds up to 21
  }

  @Test
  void eachDurationOfACustomPolicyReachesTheServer() throws Exception {
    Cache<String, String> cache = cache(FactoryBuilder.factoryOf(ThreeDurations.class));
    cache.put("k", "v");
    assertTtl(100, serverTtls(cache, "k"));
    cache.put("k", "v2");
    assertTtl(50, serverTtls(cache, "k"));
    cache.get("k");
    assertTtl(30, serverTtls(cache, "k"));
  }

  @Test
  void modifiedAndTouchedPoliciesResetTheServerTtl() throws Exception {
    Cache<String, String> modified = cache(ModifiedExpiryPolicy.factoryOf(new Duration(TimeUnit.SECONDS, 40)));
    modified.put("k", "v");
    modified.put("k", "v2");
    assertTtl(40, serverTtls(modified, "k"));
    Cache<String, String> touched = cache(TouchedExpiryPolicy.factoryOf(new Duration(TimeUnit.SECONDS, 45)));
    touched.put("k", "v");
    touched.get("k");
    assertTtl(45, serverTtls(touched, "k"));
  }

  @Test
  void eternalEntriesHaveNoServerTtl() throws Exception {
    Cache<String, String> cache = cache(EternalExpiryPolicy.factoryOf());
    cache.put("k", "v");
    assertEquals(List.of(-1, -1), serverTtls(cache, "k"));
  }

  @Test
  void durationsPastThirtyDaysAreSentAsAbsoluteTimesThatTheServerHonours() throws Exception {
    Cache<String, String> cache = cache(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.DAYS, 40)));
    cache.put("k", "v");
    int forty = (int) TimeUnit.DAYS.toSeconds(40);
    for (int ttl : serverTtls(cache, "k")) {
      // a relative 3,456,000 would have been read as a date in 1970: the item would be gone
      assertTrue(Math.abs(ttl - forty) <= 3, "ttl " + ttl);
    }
    assertEquals("v", cache.get("k"));
  }

  @Test
  void anEntryIsNeverReturnedAfterItsExpiryAlthoughMemcachedStillHoldsIt() throws Exception {
    Cache<String, String> cache = cache(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 300)));
    cache.put("k", "v");
    long written = System.nanoTime();
    assertEquals("v", cache.get("k"));
    sleepUntil(written, 320);
    assertEquals(2, serverTtls(cache, "k").size(), "memcached still holds it (its TTL is 2 s)");
    assertNull(cache.get("k"));
    assertTrue(serverTtls(cache, "k").isEmpty(), "the read that found it expired deleted it");
  }

  @Test
  void memcachedFreesAnExpiredEntryByItselfShortlyAfter() throws Exception {
    Cache<String, String> cache = cache(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 200)));
    cache.put("k", "v");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!serverTtls(cache, "k").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(serverTtls(cache, "k").isEmpty(), "memcached dropped it without any read");
  }

  @Test
  void accessExtendsTheEntryPastItsOriginalExpiry() throws Exception {
    Cache<String, String> cache = cache(AccessedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 800)));
    cache.put("k", "v");
    long written = System.nanoTime();
    sleepUntil(written, 500);
    assertEquals("v", cache.get("k"));
    sleepUntil(written, 1000);
    assertEquals("v", cache.get("k"), "read at 500 ms moved the expiry to about 1300 ms");
    sleepUntil(written, 2000);
    assertNull(cache.get("k"));
  }

  @Test
  void zeroOnCreationStoresNothingAndZeroOnUpdateRemoves() throws Exception {
    Cache<String, String> never = cache(CreatedExpiryPolicy.factoryOf(Duration.ZERO));
    never.put("k", "v");
    assertTrue(serverTtls(never, "k").isEmpty());
    Cache<String, String> once = cache(FactoryBuilder.factoryOf(ZeroOnUpdate.class));
    once.put("k", "v");
    assertEquals(2, serverTtls(once, "k").size());
    once.put("k", "v2");
    assertTrue(serverTtls(once, "k").isEmpty());
    assertNull(once.get("k"));
  }

  @Test
  void aReadOfAnExpiredEntryFiresOneExpiredEventWithItsValue() throws Exception {
    List<String> expired = new CopyOnWriteArrayList<>();
    ExpiredRecorder.sink = expired;
    MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 150)))
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(ExpiredRecorder.class), null, true, true));
    Cache<String, String> cache = manager.createCache("events", config);
    cache.put("k", "old value");
    long written = System.nanoTime();
    sleepUntil(written, 200);
    assertNull(cache.get("k"));
    assertNull(cache.get("k"));
    assertEquals(List.of("k=old value"), expired);
  }

  private static void sleepUntil(long startNanos, long millis) throws InterruptedException {
    long left = TimeUnit.NANOSECONDS.toMillis(startNanos + TimeUnit.MILLISECONDS.toNanos(millis) - System.nanoTime());
    if (left > 0) {
      Thread.sleep(left);
    }
  }

  /** Creation 100 s, update 50 s, access 30 s. */
  public static final class ThreeDurations implements ExpiryPolicy {
    @Override
    public Duration getExpiryForCreation() {
      return new Duration(TimeUnit.SECONDS, 100);
    }

    @Override
    public Duration getExpiryForUpdate() {
      return new Duration(TimeUnit.SECONDS, 50);
    }

    @Override
    public Duration getExpiryForAccess() {
      return new Duration(TimeUnit.SECONDS, 30);
    }
  }

  /** Eternal on creation, gone on update. */
  public static final class ZeroOnUpdate implements ExpiryPolicy {
    @Override
    public Duration getExpiryForCreation() {
      return Duration.ETERNAL;
    }

    @Override
    public Duration getExpiryForUpdate() {
      return Duration.ZERO;
    }

    @Override
    public Duration getExpiryForAccess() {
      return null;
    }
  }

  /** Records EXPIRED events as key=value. */
  public static final class ExpiredRecorder implements CacheEntryExpiredListener<String, String> {
    static volatile List<String> sink;

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> sink.add(e.getKey() + "=" + e.getValue()));
    }
  }
}
