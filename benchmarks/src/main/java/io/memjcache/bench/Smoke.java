package io.memjcache.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks, before any measurement, that every contender does what its workload claims: hits hit,
 * misses miss, replace succeeds, invoke counts, getAll / putAll see all 100 keys. A benchmark of an
 * operation that silently fails would measure nothing. Run by run.sh; exits non-zero on a failure.
 */
public final class Smoke {

  private Smoke() {}

  public static void main(String[] args) {
    List<String> contenders = args.length > 0 ? List.of(args)
        : List.of(Contenders.MEMJCACHE_1, Contenders.MEMJCACHE_2, Contenders.SPYMEMCACHED,
            Contenders.REDISSON);
    for (String contender : contenders) {
      long start = System.nanoTime();
      try (Store store = Contenders.open(contender)) {
        check(store, contender);
      }
      System.out.printf("smoke %-14s ok (%d ms)%n", contender, (System.nanoTime() - start) / 1_000_000);
    }
  }

  private static void check(Store store, String who) {
    byte[] a = new byte[100];
    byte[] b = a.clone();
    b[99] = 1;
    String[] keys = new String[300];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "key:" + i;
    }
    CacheBench.preload(store, keys, a);
    expect(who, "get hit", store.get("key:7") != null && store.get("key:7").length == 100);
    expect(who, "get miss", store.get("absent:7") == null);
    store.put("key:8", b);
    expect(who, "put", store.get("key:8")[99] == 1);
    expect(who, "putIfAbsent new", store.putIfAbsent("new:0:0", a));
    expect(who, "putIfAbsent existing", !store.putIfAbsent("new:0:0", b));
    expect(who, "replace", store.replace("key:9", a, b));
    expect(who, "replace back", store.replace("key:9", b, a));
    expect(who, "replace wrong old", !store.replace("key:9", b, a));
    expect(who, "invoke", store.increment("key:10") == 1 && store.increment("key:10") == 2);
    Set<String> hundred = new java.util.HashSet<>();
    Map<String, byte[]> entries = new HashMap<>();
    for (int i = 100; i < 200; i++) {
      hundred.add(keys[i]);
      entries.put(keys[i], b);
    }
    expect(who, "getAll", store.getAll(hundred).size() == 100);
    store.putAll(entries);
    expect(who, "putAll", store.getAll(hundred).values().stream().allMatch(v -> v[99] == 1));
  }

  private static void expect(String who, String what, boolean ok) {
    if (!ok) {
      throw new AssertionError(who + ": " + what + " did not behave");
    }
  }
}
