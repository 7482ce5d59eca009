package io.memjcache.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NoncesTest {

  private static Set<String> draw(int count) {
    Set<String> seen = new HashSet<>();
    byte[] out = new byte[Nonces.LENGTH];
    for (int i = 0; i < count; i++) {
      Nonces.next(out, 0);
      seen.add(HexFormat.of().formatHex(out));
    }
    return seen;
  }

  @Test
  void noNonceRepeatsAcrossSeveralBatches() {
    int count = 3 * Nonces.BATCH + 1;
    assertEquals(count, draw(count).size());
  }

  @Test
  void aNonceIsWrittenExactlyWhereAsked() {
    byte[] out = new byte[Nonces.LENGTH + 10];
    java.util.Arrays.fill(out, (byte) 0x5A);
    Nonces.next(out, 5);
    for (int i = 0; i < out.length; i++) {
      if (i < 5 || i >= 5 + Nonces.LENGTH) {
        assertEquals((byte) 0x5A, out[i], "byte " + i + " is outside the nonce");
      }
    }
  }

  @Test
  void threadsDrawNoncesOfTheirOwn() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<Set<String>> one = threads.submit(() -> draw(2 * Nonces.BATCH));
      Future<Set<String>> two = threads.submit(() -> draw(2 * Nonces.BATCH));
      Set<String> all = new HashSet<>(one.get(10, TimeUnit.SECONDS));
      all.addAll(two.get(10, TimeUnit.SECONDS));
      assertEquals(4 * Nonces.BATCH, all.size());
    } finally {
      threads.shutdownNow();
    }
  }
}
