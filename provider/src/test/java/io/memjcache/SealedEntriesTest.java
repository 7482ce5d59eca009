package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.codec.EnvelopeCodec;
import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.RealMemcached;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import net.spy.memcached.BinaryConnectionFactory;
import net.spy.memcached.CachedData;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.transcoders.Transcoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Entries sealed with a shared secret, on a real memcached server, against an attacker who speaks
 * memcached's protocol: forged, moved or altered items read as absent, keys rotate, and neither a
 * key listing nor the raw items reveal keys or values.
 */
@RealMemcached
class SealedEntriesTest {

  static final String OLD = "1=" + randomKey();
  static final String NEW = "2=" + randomKey();

  static MemcachedCluster cluster;
  static MemcachedClient attacker;

  @BeforeAll
  static void start() throws IOException {
    cluster = MemcachedCluster.start(1);
    attacker = new MemcachedClient(new BinaryConnectionFactory(),
        List.of(new InetSocketAddress("127.0.0.1", cluster.node(0).port())));
  }

  @AfterAll
  static void stop() {
    try {
      attacker.shutdown(1, TimeUnit.SECONDS);
    } finally {
      cluster.close();
    }
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static MemcachedCacheManager manager(String uri, String secret) {
    return Fixtures.manager(cluster, uri, "memjcache.copies", "1", "memjcache.secret", secret);
  }

  private static Cache<String, String> cache(MemcachedCacheManager manager, String name) {
    Cache<String, String> existing = manager.getCache(name);
    return existing != null ? existing : manager.createCache(name, new MutableConfiguration<>());
  }

  /** Reads and writes items verbatim, flags and bytes, as anyone on the network can. */
  private static final Transcoder<CachedData> RAW = new Transcoder<>() {
    @Override
    public boolean asyncDecode(CachedData d) {
      return false;
    }

    @Override
    public CachedData encode(CachedData o) {
      return o;
    }

    @Override
    public CachedData decode(CachedData d) {
      return d;
    }

    @Override
    public int getMaxSize() {
      return CachedData.MAX_SIZE;
    }
  };

  private static CachedData rawGet(String memcachedKey) {
    return attacker.get(memcachedKey, RAW);
  }

  private static void rawSet(String memcachedKey, CachedData item) throws Exception {
    assertTrue(attacker.set(memcachedKey, 0, item, RAW).get(1, TimeUnit.SECONDS));
  }

  @Test
  void aWellFormedUnsealedEnvelopeIsAMiss() throws Exception {
    MemcachedCacheManager manager = manager("sealed:forged", OLD);
    Cache<String, String> sessions = cache(manager, "sessions");
    sessions.put("alice", "user=alice");
    String name = Fixtures.memcachedKey(manager, "sessions", "alice");
    // what today's code writes, under the very name the entry has (learnt from a listing)
    byte[] forged = EnvelopeCodec.encode(Fixtures.keyBytes("alice"), Fixtures.kryo("user=admin"),
        Long.MAX_VALUE, Long.MAX_VALUE - 1);
    rawSet(name, new CachedData(EnvelopeCodec.FLAGS, forged, CachedData.MAX_SIZE));
    assertNull(sessions.get("alice"));
    sessions.put("alice", "user=alice");
    assertEquals("user=alice", sessions.get("alice"), "the next write replaces the forgery");
  }

  @Test
  void anItemSealedForOneCacheDoesNotOpenUnderAnotherCacheNamespaceOrKey() throws Exception {
    MemcachedCacheManager shop = manager("sealed:shop", OLD);
    MemcachedCacheManager other = manager("sealed:other-app", OLD);
    Cache<String, String> a = cache(shop, "a");
    Cache<String, String> b = cache(shop, "b");
    Cache<String, String> otherA = cache(other, "a");
    a.put("k", "secret of a");
    a.put("victim", "victim's own");
    CachedData sealed = rawGet(Fixtures.memcachedKey(shop, "a", "k"));
    assertNotNull(sealed);
    b.put("k", "b's own");
    rawSet(Fixtures.memcachedKey(shop, "b", "k"), sealed);
    rawSet(Fixtures.memcachedKey(other, "a", "k"), sealed);
    rawSet(Fixtures.memcachedKey(shop, "a", "victim"), sealed);
    assertNull(b.get("k"), "another cache");
    assertNull(otherA.get("k"), "another namespace");
    assertNull(a.get("victim"), "another key of the same cache");
    assertEquals("secret of a", a.get("k"), "the original still opens where it was sealed");
  }

  @Test
  void anyAlteredByteIsAMiss() throws Exception {
    MemcachedCacheManager manager = manager("sealed:tamper", OLD);
    Cache<String, String> cache = cache(manager, "c");
    String name = Fixtures.memcachedKey(manager, "c", "k");
    cache.put("k", "value");
    CachedData sealed = rawGet(name);
    byte[] bytes = sealed.getData();
    // the clear header (expiry, version), key id, nonce, ciphertext and tag
    for (int i : new int[] {5, 12, 18, 20, 40, bytes.length - 20, bytes.length - 1}) {
      byte[] altered = bytes.clone();
      altered[i] ^= 0x01;
      rawSet(name, new CachedData(sealed.getFlags(), altered, CachedData.MAX_SIZE));
      assertNull(cache.get("k"), "byte " + i + " altered");
    }
    rawSet(name, sealed);
    assertEquals("value", cache.get("k"), "the untouched item opens");
  }

  @Test
  void oldEntriesStillOpenWhenTheirKeyIsListedSecondAndNewWritesUseTheFirst() {
    Cache<String, String> before = cache(manager("sealed:rotation", OLD), "c");
    before.put("written-before", "v1");
    Cache<String, String> after = cache(manager("sealed:rotation", NEW + "," + OLD), "c");
    assertEquals("v1", after.get("written-before"), "sealed with the old key, read after rotation");
    after.put("written-after", "v2");
    assertEquals("v2", after.get("written-after"));
    assertNull(before.get("written-after"), "sealed with the new key: a client without it cannot open it");
  }

  @Test
  void aClientWithoutTheSecretReadsNothingAndCannotForge() {
    Cache<String, String> sealed = cache(manager("sealed:mixed", OLD), "c");
    Cache<String, String> plain = cache(Fixtures.manager(cluster, "sealed:mixed", "memjcache.copies", "1"), "c");
    sealed.put("k", "sealed value");
    assertNull(plain.get("k"), "other key names, and sealed items do not decode as plain ones");
    plain.put("k", "plain value");
    assertEquals("sealed value", sealed.get("k"));
  }

  @Test
  void aKeyListingRevealsNoKeyAndRawItemsNoValueWhileIterationStillWorks() throws IOException {
    MemcachedCacheManager manager = manager("sealed:listing", OLD);
    Cache<String, String> cache = cache(manager, "users");
    Set<String> keys = Set.of("alice@example.com", "bob@example.com", "session-0f3c9a");
    for (String key : keys) {
      cache.put(key, "value of " + key + " CONFIDENTIAL");
    }
    String dump = metadump();
    for (String key : keys) {
      String inClear = Base64.getUrlEncoder().withoutPadding().encodeToString(Fixtures.keyBytes(key));
      assertFalse(dump.contains(key) || dump.contains(inClear.substring(4)), "key " + key + " listed");
      String name = Fixtures.memcachedKey(manager, "users", key);
      assertTrue(dump.contains(name), "the entry is in the listing under its keyed name");
      String raw = new String(rawGet(name).getData(), StandardCharsets.ISO_8859_1);
      assertFalse(raw.contains("CONFIDENTIAL") || raw.contains(key), "clear text in the item of " + key);
    }
    assertFalse(dump.contains(new io.memjcache.codec.KeyCodec("sealed:listing", "users").prefix()),
        "the cache's unkeyed prefix is not used");
    Set<String> iterated = new HashSet<>();
    cache.forEach(e -> iterated.add(e.getKey()));
    assertEquals(keys, iterated, "iteration decodes the keys from the sealed entries");
    cache.removeAll();
    assertFalse(cache.iterator().hasNext());
  }

  /** {@code lru_crawler metadump all} over a socket, as anyone who reaches the port can run it. */
  private static String metadump() throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", cluster.node(0).port()), 1000);
      socket.setSoTimeout(5000);
      socket.getOutputStream().write("lru_crawler metadump all\r\n".getBytes(StandardCharsets.US_ASCII));
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      List<String> lines = new ArrayList<>();
      for (String line = in.readLine(); line != null && !line.equals("END"); line = in.readLine()) {
        lines.add(java.net.URLDecoder.decode(line, StandardCharsets.UTF_8));
      }
      return String.join("\n", lines);
    }
  }
}
