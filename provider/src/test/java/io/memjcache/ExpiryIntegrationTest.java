package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.Factory;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.EventType;
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
 * JCache expiry against a real 3-node memcached cluster (2 copies of each entry), checked on the
 * servers themselves: the exptime memcached holds for an entry's item is the policy's duration
 * rounded up to whole seconds plus the one-second tick margin, on every replica; entries are never
 * returned after their millisecond JCache expiry although memcached still holds them; memcached
 * then frees them by itself.
 *
 * <p>The server's view comes from {@code lru_crawler metadump hash} (absolute {@code exp=}, and
 * {@code exp - la}, which is exactly the exptime given while the item has not been fetched) and
 * from {@code mg <key> t} (remaining seconds; one less if the server's clock ticked since the
 * write). Expected exptimes are written out as numbers: a duration of d seconds is ceil(d) + 1.
 */
@RealMemcached
class ExpiryIntegrationTest {

  static final ClassLoader LOADER = ExpiryIntegrationTest.class.getClassLoader();
  static final AtomicInteger CACHES = new AtomicInteger();

  static MemcachedCluster cluster;
  static CacheManager manager;

  @BeforeAll
  static void start() {
    cluster = MemcachedCluster.start(3);
    Properties props = new Properties();
    props.setProperty("memjcache.servers", cluster.servers());
    // no membership pass after the first: each one stores the client's server list record on every
    // node (ServerListCheck), which zeroOnCreationStoresNothingOnAnyServer would count as stored
    props.setProperty("memjcache.retryIntervalMillis", "600000");
    manager = cluster.closeFirst(new MemcachedCachingProvider())
        .getCacheManager(URI.create("expiry:integration"), LOADER, props);
  }

  @AfterAll
  static void stop() {
    try {
      if (manager != null) {
        manager.close();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  // ================================================================== creation, update, access

  @Test
  void creationDurationIsTheServerTtlRoundedUpOnEveryReplica() throws Exception {
    Cache<String, String> cache = cache(CreatedExpiryPolicy.factoryOf(millis(20_300)));
    cache.put("k", "v");
    assertServerTtl(cache, "k", 22); // 20.3 s -> 21 s + 1 s margin
  }

  @Test
  void nullOnUpdateAndAccessLeavesTheServerExpiryWhereItWas() throws Exception {
    Cache<String, String> cache = cache(CreatedExpiryPolicy.factoryOf(seconds(20)));
    cache.put("k", "v");
    Map<String, Item> created = assertServerTtl(cache, "k", 21);

    cache.put("k", "v2"); // getExpiryForUpdate() == null
    Map<String, Item> updated = assertExpiryUnchanged(cache, "k", created);
    created.forEach((node, item) -> assertNotEquals(item.cas(), updated.get(node).cas(), "the value was rewritten"));

    assertEquals("v2", cache.get("k")); // getExpiryForAccess() == null
    Map<String, Item> read = items(memcachedKey(cache, "k"));
    assertEquals(casIds(updated), casIds(read), "a read with a null access duration writes nothing");
  }

  @Test
  void aCustomPolicySendsItsCreationUpdateAndAccessDurations() throws Exception {
    Cache<String, String> cache = cache(FactoryBuilder.factoryOf(ThreeDurations.class));
    cache.put("k", "v");
    assertServerTtl(cache, "k", 101);
    cache.put("k", "v2");
    assertServerTtl(cache, "k", 51);
    assertEquals("v2", cache.get("k"));
    assertServerTtl(cache, "k", 31);
    cache.put("k", "v3");
    assertServerTtl(cache, "k", 51);
    assertEquals(Map.of("k", "v3"), cache.getAll(Set.of("k")));
    assertServerTtl(cache, "k", 31);
  }

  @Test
  void modifiedExpiryPolicyRestartsTheServerTtlOnUpdateOnly() throws Exception {
    Cache<String, String> cache = cache(ModifiedExpiryPolicy.factoryOf(seconds(40)));
    cache.put("k", "v");
    Map<String, Item> created = assertServerTtl(cache, "k", 41);
    assertEquals("v", cache.get("k"));
    assertEquals(casIds(created), casIds(items(memcachedKey(cache, "k"))), "a read does not rewrite the item");
    cache.put("k", "v2");
    Map<String, Item> updated = assertServerTtl(cache, "k", 41);
    created.forEach((node, item) -> assertNotEquals(item.cas(), updated.get(node).cas()));
  }

  @Test
  void accessedExpiryPolicyRestartsTheServerTtlOnAccessOnly() throws Exception {
    Cache<String, String> cache = cache(AccessedExpiryPolicy.factoryOf(seconds(45)));
    cache.put("k", "v");
    Map<String, Item> created = assertServerTtl(cache, "k", 46);
    cache.put("k", "v2");
    Map<String, Item> updated = assertExpiryUnchanged(cache, "k", created);
    assertEquals("v2", cache.get("k"));
    Map<String, Item> accessed = assertServerTtl(cache, "k", 46);
    updated.forEach((node, item) -> assertNotEquals(item.cas(), accessed.get(node).cas(),
        "the access rewrote the item with its new expiry on " + node));
  }

  @Test
  void touchedExpiryPolicyRestartsTheServerTtlOnUpdateAndAccess() throws Exception {
    Cache<String, String> cache = cache(TouchedExpiryPolicy.factoryOf(seconds(50)));
    cache.put("k", "v");
    Map<String, Item> created = assertServerTtl(cache, "k", 51);
    assertEquals("v", cache.get("k"));
    Map<String, Item> accessed = assertServerTtl(cache, "k", 51);
    created.forEach((node, item) -> assertNotEquals(item.cas(), accessed.get(node).cas()));
    cache.put("k", "v2");
    Map<String, Item> updated = assertServerTtl(cache, "k", 51);
    accessed.forEach((node, item) -> assertNotEquals(item.cas(), updated.get(node).cas()));
  }

  @Test
  void eternalEntriesHaveNoServerTtl() throws Exception {
    Cache<String, String> cache = cache(EternalExpiryPolicy.factoryOf());
    cache.put("k", "v");
    Map<String, Item> created = assertServerTtl(cache, "k", -1);
    assertEquals("v", cache.get("k"));
    assertEquals(casIds(created), casIds(items(memcachedKey(cache, "k"))), "a read does not rewrite the item");
    cache.put("k", "v2");
    assertServerTtl(cache, "k", -1);
    Cache<String, String> createdEternal = cache(CreatedExpiryPolicy.factoryOf(Duration.ETERNAL));
    createdEternal.put("k", "v");
    assertServerTtl(createdEternal, "k", -1);
  }

  // ================================================================== around 30 days and 2038

  @Test
  void upToThirtyDaysTheTtlIsRelativeBeyondItAnAbsoluteTimeTheServerHonours() throws Exception {
    int thirtyDays = 2_592_000;
    Cache<String, String> below = cache(CreatedExpiryPolicy.factoryOf(seconds(thirtyDays - 1)));
    below.put("k", "v");
    assertServerTtl(below, "k", thirtyDays); // 30 days - 1 s + 1 s margin: the largest relative exptime

    Cache<String, String> exactly = cache(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.DAYS, 30)));
    assertAbsoluteServerExpiry(exactly, TimeUnit.DAYS.toMillis(30));

    Cache<String, String> forty = cache(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.DAYS, 40)));
    assertAbsoluteServerExpiry(forty, TimeUnit.DAYS.toMillis(40));
    assertEquals("v", forty.get("k"));

    // what a relative 40 days would have done: memcached reads it as a unix time in 1970
    MemcachedProcess node = cluster.node(0);
    assertTrue(node.command("set relative-forty-days 0 3456001 1\r\nx").startsWith("STORED"));
    assertEquals("EN", node.command("mg relative-forty-days t").trim(), "gone at once");
  }

  @Test
  void expiriesPast2038AreSentAsNoServerExpiryAndStillReadable() throws Exception {
    Cache<String, String> cache = cache(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.DAYS, 100 * 365)));
    cache.put("k", "v");
    assertServerTtl(cache, "k", -1); // a unix time past 2^31 - 1 does not fit the protocol's field
    assertEquals("v", cache.get("k"));
  }

  // ================================================================== millisecond exactness

  @Test
  void anEntryIsNeverReturnedAfterItsMillisecondExpiryThoughMemcachedStillHoldsItThenFreesIt()
      throws Exception {
    Cache<String, String> cache = cache(CreatedExpiryPolicy.factoryOf(millis(300)));
    for (int attempt = 1; ; attempt++) {
      boolean last = attempt == 3;
      String read = memcachedKey(cache, "read" + attempt);
      String unread = memcachedKey(cache, "unread" + attempt);
      long t0 = System.currentTimeMillis();
      cache.put("read" + attempt, "v");
      cache.put("unread" + attempt, "v");
      long t1 = System.currentTimeMillis();
      assertServerTtl(cache, "read" + attempt, 2); // 0.3 s -> 1 s + 1 s margin
      assertServerTtl(cache, "unread" + attempt, 2);

      sleepUntil(t0 + 100);
      String early = cache.get("read" + attempt);
      if (System.currentTimeMillis() >= t0 + 300 && !last) {
        continue; // the machine stalled past the expiry: this attempt proves nothing
      }
      assertEquals("v", early, "read at ~100 ms");

      sleepUntil(t1 + 300);
      // JCache-expired, but memcached's 2-second TTL has not run out: both servers hold both
      Set<String> holdingRead = items(read).keySet();
      Set<String> holdingUnread = items(unread).keySet();
      if (System.currentTimeMillis() >= t0 + 1_000 && !last) {
        continue; // too late to expect memcached to hold them
      }
      assertEquals(replicas(read), holdingRead, "memcached still holds it");
      assertEquals(replicas(unread), holdingUnread, "memcached still holds it");
      assertNull(cache.get("read" + attempt), "never returned after its expiry");
      assertTrue(items(read).isEmpty(), "the read that found it expired deleted it from both replicas");

      // nobody reads "unread": memcached drops it by itself when its own TTL runs out (metadump,
      // which touches nothing, shows expired items up to a second later than a get would)
      long gone = awaitMillis(() -> items(unread).isEmpty(), t1 + 4_000);
      assertTrue(gone >= t0 + 1_000 && gone <= t1 + 3_300, "dropped " + (gone - t0) + " ms after the put");
      // and the memory is freed, not only hidden: memcached's crawler reclaims it, after which
      // every item a node keeps in memory is a live one
      for (String node : replicas(unread)) {
        assertEveryItemInMemoryIsLive(cluster.nodeAt(node));
      }
      return;
    }
  }

  @Test
  void memcachedsClockDropsAnItemUpToASecondBeforeItsExptime() throws Exception {
    // why every exptime has a one-second margin: memcached's clock moves in whole-second ticks, and
    // an item set with exptime 1 just before a tick is gone at that tick
    MemcachedProcess node = cluster.node(1);
    List<Long> lifetimes = new ArrayList<>();
    for (int attempt = 0; attempt < 3; attempt++) { // a loaded machine may miss the moment
      long tick = awaitServerTick(node);
      sleepUntil(tick + 900);
      long set = System.currentTimeMillis();
      assertTrue(node.command("set one-second 0 1 1\r\nx").startsWith("STORED"));
      long gone = awaitMillis(() -> node.command("mg one-second t").startsWith("EN"), set + 3_000);
      lifetimes.add(gone - set);
      if (gone - set < 1_000) {
        return;
      }
    }
    fail("an exptime of 1 s always lasted a second or more: " + lifetimes + " ms");
  }

  @Test
  void theTickMarginKeepsEveryReplicaUntilTheJCacheExpiry() throws Exception {
    Cache<String, String> cache = cache(CreatedExpiryPolicy.factoryOf(millis(1_000)));
    cache.put("warm-up", "v"); // so that the timed put below is not the cache's first
    for (int attempt = 1; attempt <= 3; attempt++) {
      String k = "k" + attempt;
      String key = memcachedKey(cache, k);
      // write just before the primary's clock ticks: the worst case for a relative exptime, where
      // an exptime of ceil(1 s) = 1 without the margin would be dropped about 150 ms later
      long tick = awaitServerTick(cluster.nodeAt(primary(key)));
      sleepUntil(tick + 850);
      long t0 = System.currentTimeMillis();
      cache.put(k, "v");
      long t1 = System.currentTimeMillis();
      Set<String> holders = replicas(key);
      assertEquals(2, holders.size());

      // until its JCache expiry (no earlier than t0 + 1000) every replica holds it
      int checks = 0;
      while (System.currentTimeMillis() < t0 + 990) {
        for (String node : holders) {
          String reply = cluster.nodeAt(node).command("mg " + key + " t");
          long answered = System.currentTimeMillis();
          if (answered < t0 + 1_000) {
            assertTrue(reply.startsWith("HD"), node + " dropped it " + (answered - t0) + " ms after the put");
            checks++;
          }
        }
        String value = cache.get(k);
        if (System.currentTimeMillis() < t0 + 1_000) {
          assertEquals("v", value);
        }
        Thread.sleep(5);
      }
      assertTrue(checks > 10, "only " + checks + " checks");

      // and memcached drops it within 2 s of the JCache expiry
      for (String node : holders) {
        long gone = awaitMillis(() -> cluster.nodeAt(node).command("mg " + key + " t").startsWith("EN"),
            t1 + 3_500);
        assertTrue(gone <= t1 + 1_000 + 2_000 + 100, node + " kept it " + (gone - t1) + " ms");
      }
      assertNull(cache.get(k));
      if (t1 < tick + 1_000) {
        return; // the put did land just before the tick
      }
    }
  }

  // ================================================================== access extends the expiry

  @Test
  void anAccessedEntryReadBeforeItsExpiryLivesPastItsOriginalExpiry() throws Exception {
    Cache<String, String> cache = cache(AccessedExpiryPolicy.factoryOf(seconds(2)));
    for (int attempt = 1; ; attempt++) {
      boolean last = attempt == 3;
      String k = "k" + attempt;
      String key = memcachedKey(cache, k);
      long t0 = System.currentTimeMillis();
      cache.put(k, "v");
      long t1 = System.currentTimeMillis();
      Map<String, Item> created = assertServerTtl(cache, k, 3);

      sleepUntil(t0 + 1_500);
      long g0 = System.currentTimeMillis();
      String value = cache.get(k);
      long g1 = System.currentTimeMillis();
      if (g1 >= t0 + 2_000 && !last) {
        continue; // the machine stalled past the original expiry: this attempt proves nothing
      }
      assertEquals("v", value, "read at " + (g0 - t0) + "-" + (g1 - t0) + " ms, put took " + (t1 - t0) + " ms");
      Map<String, Item> accessed = assertServerTtl(cache, k, 3);
      created.forEach((node, item) -> assertTrue(accessed.get(node).exp() > item.exp(),
          "the server expiry moved later on " + node + ": " + item + " -> " + accessed.get(node)));

      sleepUntil(t1 + 2_100); // past the original expiry
      boolean alive = cache.containsKey(k); // containsKey is no access
      Set<String> holders = items(key).keySet();
      if (System.currentTimeMillis() >= g0 + 2_000 && !last) {
        continue;
      }
      assertTrue(alive, "alive after its original 2 s");
      assertEquals(replicas(key), holders, "and memcached holds it too");

      sleepUntil(g0 + 1_900);
      alive = cache.containsKey(k);
      if (System.currentTimeMillis() < g0 + 2_000) { // else a stalled machine made the check late
        assertTrue(alive, "alive until 2 s after the read");
      }
      sleepUntil(g1 + 2_000);
      assertFalse(cache.containsKey(k), "expired 2 s after the read");
      assertNull(cache.get(k));
      return;
    }
  }

  // ================================================================== zero durations

  @Test
  void zeroOnCreationStoresNothingOnAnyServer() throws Exception {
    List<Cache<String, String>> caches = new ArrayList<>();
    for (Factory<? extends ExpiryPolicy> policy : List.of(
        CreatedExpiryPolicy.factoryOf(Duration.ZERO),
        ModifiedExpiryPolicy.factoryOf(Duration.ZERO), // blind writes
        TouchedExpiryPolicy.factoryOf(Duration.ZERO),
        AccessedExpiryPolicy.factoryOf(Duration.ZERO))) {
      caches.add(cache(policy));
      caches.get(caches.size() - 1).containsKey("made"); // the cache's generation record is stored first
    }
    List<Map<String, Long>> before = stats();
    for (Cache<String, String> cache : caches) {
      cache.put("put", "v");
      cache.putAll(Map.of("putAll1", "v", "putAll2", "v"));
      assertTrue(cache.putIfAbsent("putIfAbsent", "v"));
      assertNull(cache.getAndPut("getAndPut", "v"));
      for (String key : List.of("put", "putAll1", "putAll2", "putIfAbsent", "getAndPut")) {
        assertTrue(items(memcachedKey(cache, key)).isEmpty(), key);
        assertNull(cache.get(key), key);
      }
      assertFalse(cache.iterator().hasNext());
    }
    List<Map<String, Long>> after = stats();
    for (int i = 0; i < after.size(); i++) {
      assertEquals(before.get(i).get("total_items"), after.get(i).get("total_items"),
          "no item was ever stored on " + cluster.node(i));
      // (items of other tests may expire meanwhile, so curr_items can only be checked not to grow)
      assertTrue(after.get(i).get("curr_items") <= before.get(i).get("curr_items"));
    }
  }

  @Test
  void zeroOnUpdateRemovesTheEntryFromEveryServer() throws Exception {
    Cache<String, String> cache = cache(FactoryBuilder.factoryOf(ZeroOnUpdate.class));
    String key = memcachedKey(cache, "k");
    cache.put("k", "v");
    assertServerTtl(cache, "k", -1);
    cache.put("k", "v2");
    assertTrue(items(key).isEmpty(), "removed from both replicas");
    assertNull(cache.get("k"));

    cache.put("r", "v");
    assertTrue(cache.replace("r", "v2"));
    assertTrue(items(memcachedKey(cache, "r")).isEmpty());
    assertFalse(cache.containsKey("r"));
  }

  @Test
  void zeroOnAccessReturnsTheValueOnceAndRemovesTheEntryFromEveryServer() throws Exception {
    Cache<String, String> cache = cache(FactoryBuilder.factoryOf(ZeroOnAccess.class));
    cache.put("k", "v");
    assertServerTtl(cache, "k", -1);
    assertEquals("v", cache.get("k"));
    assertTrue(items(memcachedKey(cache, "k")).isEmpty(), "removed from both replicas");
    assertNull(cache.get("k"));

    cache.put("a", "v");
    assertEquals(Map.of("a", "v"), cache.getAll(Set.of("a")));
    assertTrue(items(memcachedKey(cache, "a")).isEmpty());
  }

  // ================================================================== per-cache configuration

  @Test
  void eachCacheOfOneManagerHasItsOwnConfiguredPolicy() throws Exception {
    Map<String, Factory<? extends ExpiryPolicy>> policies = new LinkedHashMap<>();
    policies.put("created", CreatedExpiryPolicy.factoryOf(seconds(10)));
    policies.put("accessed", AccessedExpiryPolicy.factoryOf(seconds(20)));
    policies.put("modified", ModifiedExpiryPolicy.factoryOf(seconds(30)));
    policies.put("touched", TouchedExpiryPolicy.factoryOf(seconds(40)));
    policies.put("eternal", EternalExpiryPolicy.factoryOf());
    policies.put("custom", FactoryBuilder.factoryOf(ThreeDurations.class));
    Map<String, Cache<String, String>> caches = new LinkedHashMap<>();
    policies.forEach((name, policy) -> caches.put(name, cache(policy)));

    Map<String, Class<?>> types = Map.of("created", CreatedExpiryPolicy.class,
        "accessed", AccessedExpiryPolicy.class, "modified", ModifiedExpiryPolicy.class,
        "touched", TouchedExpiryPolicy.class, "eternal", EternalExpiryPolicy.class,
        "custom", ThreeDurations.class);
    caches.forEach((name, cache) -> assertInstanceOf(types.get(name),
        ConfigurationFileTest.configOf(cache).getExpiryPolicyFactory().create(), name));

    // the same key in every cache, each with its own policy (server TTL = duration + 1 s)
    caches.values().forEach(c -> c.put("k", "v"));
    Map<String, Integer> afterCreate = Map.of("created", 11, "accessed", 21, "modified", 31,
        "touched", 41, "eternal", -1, "custom", 101);
    Map<String, Map<String, Item>> created = new TreeMap<>();
    for (var e : caches.entrySet()) {
      created.put(e.getKey(), assertServerTtl(e.getValue(), "k", afterCreate.get(e.getKey())));
    }

    // an access: accessed, touched and custom get a new expiry (a rewrite), the others are untouched
    caches.values().forEach(c -> assertEquals("v", c.get("k")));
    Map<String, Integer> afterAccess = Map.of("accessed", 21, "touched", 41, "custom", 31);
    Map<String, Map<String, Item>> accessed = new TreeMap<>();
    for (var e : caches.entrySet()) {
      String name = e.getKey();
      if (afterAccess.containsKey(name)) {
        accessed.put(name, assertServerTtl(e.getValue(), "k", afterAccess.get(name)));
        assertNotEquals(casIds(created.get(name)), casIds(accessed.get(name)), name + " rewritten on access");
      } else {
        accessed.put(name, items(memcachedKey(e.getValue(), "k")));
        assertEquals(casIds(created.get(name)), casIds(accessed.get(name)), name + " not rewritten on access");
      }
    }

    // an update: modified, touched, eternal and custom get their update expiry, the others keep theirs
    caches.values().forEach(c -> c.put("k", "v2"));
    Map<String, Integer> afterUpdate = Map.of("modified", 31, "touched", 41, "eternal", -1, "custom", 51);
    for (var e : caches.entrySet()) {
      String name = e.getKey();
      if (afterUpdate.containsKey(name)) {
        assertServerTtl(e.getValue(), "k", afterUpdate.get(name));
      } else {
        assertExpiryUnchanged(e.getValue(), "k", accessed.get(name));
      }
    }
  }

  // ================================================================== EXPIRED events

  @Test
  void readingAnExpiredEntryFiresExactlyOneExpiredEventWithTheOldValue() throws Exception {
    List<CacheEntryEvent<? extends String, ? extends String>> events = new CopyOnWriteArrayList<>();
    ExpiredRecorder.sink = events;
    Cache<String, String> cache = manager.createCache("events" + CACHES.incrementAndGet(),
        new MutableConfiguration<String, String>()
            .setTypes(String.class, String.class)
            .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(millis(200)))
            .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
                FactoryBuilder.factoryOf(ExpiredRecorder.class), null, true, true)));
    long t0 = System.currentTimeMillis();
    cache.put("k", "old value");
    cache.put("late", "late value");
    long t1 = System.currentTimeMillis();
    String first = cache.get("k");
    if (System.currentTimeMillis() < t0 + 200) { // else a stalled machine read it too late
      assertEquals("old value", first);
      assertTrue(events.isEmpty());
    }

    sleepUntil(t1 + 220);
    assertNull(cache.get("k"));
    assertNull(cache.get("k"));
    assertFalse(cache.containsKey("k"));
    assertEquals(1, events.size(), "exactly one EXPIRED event: " + events);
    CacheEntryEvent<? extends String, ? extends String> event = events.get(0);
    assertEquals(EventType.EXPIRED, event.getEventType());
    assertEquals("k", event.getKey());
    assertTrue(event.isOldValueAvailable());
    assertEquals("old value", event.getOldValue());
    assertEquals("old value", event.getValue(), "JSR-107 1.1: getValue() is the old value for EXPIRED");

    // memcached has no notifications: an entry it freed before anyone read it is simply absent
    String late = memcachedKey(cache, "late");
    awaitMillis(() -> cluster.nodes().stream()
        .allMatch(n -> command(n, "mg " + late + " t").startsWith("EN")), t1 + 3_500);
    assertNull(cache.get("late"));
    assertEquals(1, events.size(), "no event for an entry memcached already freed: " + events);
  }

  @Test
  void zeroOnUpdateOrAccessFiresOneExpiredEventWithTheOldValue() throws Exception {
    List<CacheEntryEvent<? extends String, ? extends String>> events = new CopyOnWriteArrayList<>();
    ExpiredRecorder.sink = events;
    for (Class<? extends ExpiryPolicy> policy : List.of(ZeroOnUpdate.class, ZeroOnAccess.class)) {
      events.clear();
      Cache<String, String> cache = manager.createCache("events" + CACHES.incrementAndGet(),
          new MutableConfiguration<String, String>()
              .setTypes(String.class, String.class)
              .setExpiryPolicyFactory(FactoryBuilder.factoryOf(policy))
              .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
                  FactoryBuilder.factoryOf(ExpiredRecorder.class), null, true, true)));
      cache.put("k", "old value");
      if (policy == ZeroOnUpdate.class) {
        cache.put("k", "new value");
      } else {
        assertEquals("old value", cache.get("k"));
      }
      assertTrue(items(memcachedKey(cache, "k")).isEmpty(), policy.getSimpleName());
      assertEquals(1, events.size(), policy.getSimpleName() + ": " + events);
      assertEquals(EventType.EXPIRED, events.get(0).getEventType());
      assertEquals("old value", events.get(0).getOldValue());
      assertNull(cache.get("k"));
      assertEquals(1, events.size(), policy.getSimpleName() + ": " + events);
    }
  }

  // ================================================================== helpers: the servers' view

  /**
   * One item as {@code lru_crawler metadump hash} lists it: absolute expiry (-1: none), CAS id, last
   * access time and whether it was fetched. Until an item is fetched twice its {@code la} is the
   * time it was stored (the server's clock, like {@code exp}), so {@code exp - la} is exactly the
   * exptime it was given.
   */
  record Item(long exp, long cas, long la, boolean fetched) {}

  /** The CAS ids of an item's copies: they change whenever the item is rewritten. */
  static Map<String, Long> casIds(Map<String, Item> items) {
    Map<String, Long> ids = new TreeMap<>();
    items.forEach((node, item) -> ids.put(node, item.cas()));
    return ids;
  }

  /** The items of a memcached key on every node that holds it, by node address. */
  static Map<String, Item> items(String memcachedKey) throws IOException, InterruptedException {
    Map<String, Item> found = new TreeMap<>();
    for (MemcachedProcess node : cluster.nodes()) {
      for (String line : metadump(node)) {
        Map<String, String> fields = fields(line);
        if (memcachedKey.equals(URLDecoder.decode(fields.get("key"), StandardCharsets.UTF_8))) {
          found.put(node.address(), new Item(Long.parseLong(fields.get("exp")), Long.parseLong(fields.get("cas")),
              Long.parseLong(fields.get("la")), fields.get("fetch").equals("yes")));
        }
      }
    }
    return found;
  }

  /** The item lines of a node's metadump (retried while the crawler is busy). */
  static List<String> metadump(MemcachedProcess node) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (true) {
      // "hash" walks the hash table: "all" walks the LRUs and misses items being moved between
      // them, often live ones that were just read (protocol.txt; seen in this very test)
      String reply = node.command("lru_crawler metadump hash");
      if (reply.startsWith("key=") || reply.startsWith("END")) {
        List<String> lines = new ArrayList<>();
        for (String line : reply.split("\r?\n")) { // metadump ends its lines with a bare \n
          if (line.startsWith("key=")) {
            lines.add(line);
          }
        }
        return lines;
      }
      if (!reply.startsWith("BUSY") || System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(node + " metadump: " + reply);
      }
      Thread.sleep(5);
    }
  }

  static Map<String, String> fields(String line) {
    Map<String, String> fields = new TreeMap<>();
    for (String part : line.trim().split(" ")) {
      int eq = part.indexOf('=');
      fields.put(part.substring(0, eq), part.substring(eq + 1));
    }
    return fields;
  }

  /** {@code mg <key> t} on every node that has the key: the remaining TTL in seconds, -1 for none. */
  static Map<String, Integer> ttls(String memcachedKey) throws IOException {
    Map<String, Integer> ttls = new TreeMap<>();
    for (MemcachedProcess node : cluster.nodes()) {
      String reply = node.command("mg " + memcachedKey + " t").trim();
      if (reply.startsWith("HD")) {
        ttls.put(node.address(), Integer.parseInt(reply.substring(reply.indexOf(" t") + 2).trim()));
      } else if (!reply.equals("EN")) {
        throw new IllegalStateException(node + ": " + reply);
      }
    }
    return ttls;
  }

  /**
   * Asserts the exptime memcached holds for a cache key on exactly its replicas: {@code exptime}
   * seconds from now ({@code mg t} may read one less if the server's clock ticked since the write;
   * the absolute {@code exp=} of the metadump is within about a second of now + exptime), or no expiry
   * for -1. Returns the items by node.
   */
  static Map<String, Item> assertServerTtl(Cache<String, String> cache, String key, int exptime)
      throws IOException, InterruptedException {
    String mkey = memcachedKey(cache, key);
    long nowSeconds = System.currentTimeMillis() / 1000;
    Map<String, Item> items = items(mkey); // first: a metadump fetches nothing, mg does
    Map<String, Integer> ttls = ttls(mkey);
    long laterSeconds = (System.currentTimeMillis() + 999) / 1000;
    Set<String> replicas = replicas(mkey);
    String what = cache.getName() + "/" + key + " " + ttls + " " + items;
    assertEquals(2, replicas.size(), what);
    assertEquals(replicas, ttls.keySet(), "held by exactly its replicas: " + what);
    assertEquals(replicas, items.keySet(), "held by exactly its replicas: " + what);
    for (String node : replicas) {
      int ttl = ttls.get(node);
      long exp = items.get(node).exp();
      if (exptime == -1) {
        assertEquals(-1, ttl, what);
        assertEquals(-1, exp, what);
      } else {
        // the remaining TTL shrinks while a loaded machine gets from the write to this read (seconds
        // at times); the exptime the write sent is checked exactly below, from the item's own times
        assertTrue(ttl <= exptime && ttl >= exptime - 3, "TTL " + ttl + ", expected " + exptime + ": " + what);
        if (!items.get(node).fetched()) {
          assertEquals(exptime, exp - items.get(node).la(), "the exact exptime: " + what);
        }
        assertTrue(exp >= nowSeconds + exptime - 2 && exp <= laterSeconds + exptime + 1,
            "exp " + exp + ", expected about " + (nowSeconds + exptime) + ": " + what);
      }
    }
    return items;
  }

  /** Puts k = v and asserts memcached got the absolute unix time ceil(expiry / 1000) + 1. */
  static void assertAbsoluteServerExpiry(Cache<String, String> cache, long durationMillis)
      throws IOException, InterruptedException {
    long t0 = System.currentTimeMillis();
    cache.put("k", "v");
    long t1 = System.currentTimeMillis();
    String mkey = memcachedKey(cache, "k");
    Map<String, Item> items = items(mkey);
    Map<String, Integer> ttls = ttls(mkey);
    assertEquals(replicas(mkey), items.keySet());
    assertEquals(replicas(mkey), ttls.keySet());
    long earliest = ceilSeconds(t0 + durationMillis) + 1;
    long latest = ceilSeconds(t1 + durationMillis) + 1;
    int relative = (int) (durationMillis / 1000) + 1;
    for (String node : items.keySet()) {
      long exp = items.get(node).exp();
      assertTrue(exp >= earliest && exp <= latest, "exp " + exp + " not in [" + earliest + ", " + latest + "]");
      int ttl = ttls.get(node);
      // mg t of an absolute exptime also depends on the sub-second phases of the server's wall and
      // monotonic clocks: only roughly the duration
      assertTrue(ttl >= relative - 2 && ttl <= relative + 2, "ttl " + ttl + " for about " + relative);
    }
  }

  /**
   * Asserts that a cache key's items still expire when they did (to the second the rounding
   * allows; the remaining time is rounded up again at each rewrite) on exactly its replicas.
   */
  static Map<String, Item> assertExpiryUnchanged(Cache<String, String> cache, String key,
      Map<String, Item> before) throws IOException, InterruptedException {
    String mkey = memcachedKey(cache, key);
    Map<String, Item> now = items(mkey);
    assertEquals(replicas(mkey), now.keySet(), "held by exactly its replicas: " + now);
    assertEquals(before.keySet(), now.keySet());
    before.forEach((node, item) -> assertTrue(Math.abs(now.get(node).exp() - item.exp()) <= 1,
        "expiry moved on " + node + ": " + item + " -> " + now.get(node)));
    return now;
  }

  /** Runs the LRU crawler and asserts that it leaves no item that has expired in the node's memory. */
  static void assertEveryItemInMemoryIsLive(MemcachedProcess node) throws Exception {
    long deadline = System.currentTimeMillis() + 5_000;
    String last = "";
    while (System.currentTimeMillis() < deadline) {
      String reply = node.command("lru_crawler crawl all").trim();
      if (reply.equals("OK")) {
        awaitMillis(() -> stats(node).get("lru_crawler_running") == 0, deadline);
        long inMemory = stats(node).get("curr_items");
        long live = metadump(node).size();
        if (inMemory == live) {
          return;
        }
        last = inMemory + " items in memory, " + live + " live";
      } else if (!reply.startsWith("BUSY")) {
        fail(node + ": lru_crawler crawl all: " + reply);
      }
      Thread.sleep(20);
    }
    fail(node + ": " + last);
  }

  static List<Map<String, Long>> stats() throws IOException {
    List<Map<String, Long>> all = new ArrayList<>();
    for (MemcachedProcess node : cluster.nodes()) {
      all.add(stats(node));
    }
    return all;
  }

  static Map<String, Long> stats(MemcachedProcess node) throws IOException {
    Map<String, Long> counters = new TreeMap<>();
    for (String line : node.command("stats").split("\r\n")) {
      String[] f = line.split(" ");
      if (f.length == 3 && f[0].equals("STAT") && f[2].matches("-?\\d+")) {
        counters.put(f[1], Long.parseLong(f[2]));
      }
    }
    return counters;
  }

  static String command(MemcachedProcess node, String line) {
    try {
      return node.command(line);
    } catch (IOException e) {
      throw new IllegalStateException(node + ": " + line, e);
    }
  }

  /**
   * Waits for a server's clock to tick (the TTL {@code mg t} reports drops by one) and returns the
   * local time of the tick, to within a couple of milliseconds.
   */
  static long awaitServerTick(MemcachedProcess node) throws Exception {
    String probe = "tick-probe-" + System.nanoTime();
    assertTrue(node.command("set " + probe + " 0 1000 1\r\nx").startsWith("STORED"));
    String first = node.command("mg " + probe + " t").trim();
    long deadline = System.currentTimeMillis() + 2_500;
    while (System.currentTimeMillis() < deadline) {
      long before = System.currentTimeMillis();
      if (!node.command("mg " + probe + " t").trim().equals(first)) {
        node.command("delete " + probe);
        return before;
      }
      Thread.sleep(1);
    }
    throw new AssertionError(node + "'s clock did not tick in 2.5 s");
  }

  // ================================================================== helpers: keys and time

  static Cache<String, String> cache(Factory<? extends ExpiryPolicy> policy) {
    return manager.createCache("expiry" + CACHES.incrementAndGet(), new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class).setExpiryPolicyFactory(policy));
  }

  /** The memcached key of a cache key, by the provider's own codec and the manager's namespace. */
  static String memcachedKey(Cache<?, ?> cache, Object key) {
    return StoredKeys.memcachedKey(cache, key);
  }

  /** The nodes that hold a memcached key (its ketama primary and the next node), as addresses. */
  static Set<String> replicas(String memcachedKey) {
    Set<String> nodes = new TreeSet<>();
    manager.unwrap(MemcachedCacheManager.class).cluster().replicasOf(memcachedKey)
        .forEach(s -> nodes.add(s.toString()));
    return nodes;
  }

  static String primary(String memcachedKey) {
    return manager.unwrap(MemcachedCacheManager.class).cluster().primaryOf(memcachedKey).toString();
  }

  static Duration millis(long ms) {
    return new Duration(TimeUnit.MILLISECONDS, ms);
  }

  static Duration seconds(long s) {
    return new Duration(TimeUnit.SECONDS, s);
  }

  static long ceilSeconds(long ms) {
    return (ms + 999) / 1000;
  }

  /** Sleeps in short steps until the wall clock (the provider's clock) reaches {@code millis}. */
  static void sleepUntil(long millis) throws InterruptedException {
    long left;
    while ((left = millis - System.currentTimeMillis()) > 0) {
      Thread.sleep(Math.min(left, 50));
    }
  }

  interface Check {
    boolean holds() throws Exception;
  }

  /** Polls a condition every few ms until it holds and returns when it first held; fails at the deadline. */
  static long awaitMillis(Check check, long deadlineMillis) throws Exception {
    while (true) {
      long before = System.currentTimeMillis();
      if (check.holds()) {
        return before;
      }
      if (before > deadlineMillis) {
        throw new AssertionError("condition not met by the deadline");
      }
      Thread.sleep(5);
    }
  }

  // ================================================================== policies and listeners

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

  /** Eternal on creation, gone on update, access leaves it alone. */
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

  /** Eternal on creation, update leaves it alone, gone after an access. */
  public static final class ZeroOnAccess implements ExpiryPolicy {
    @Override
    public Duration getExpiryForCreation() {
      return Duration.ETERNAL;
    }

    @Override
    public Duration getExpiryForUpdate() {
      return null;
    }

    @Override
    public Duration getExpiryForAccess() {
      return Duration.ZERO;
    }
  }

  /** Records the EXPIRED events it gets. */
  public static final class ExpiredRecorder implements CacheEntryExpiredListener<String, String> {
    static volatile List<CacheEntryEvent<? extends String, ? extends String>> sink;

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(sink::add);
    }
  }
}
