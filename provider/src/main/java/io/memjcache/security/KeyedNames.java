package io.memjcache.security;

import io.memjcache.codec.KeyHasher;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import javax.crypto.Mac;

/**
 * Names memcached keys with HMAC-SHA256 under a {@link KeyRing}'s name key: without the secret, a
 * key listing ({@code lru_crawler metadump}) tells neither which cache an item belongs to nor its
 * key, and an outsider cannot compute the name under which a given key is stored.
 *
 * <p>Thread-safe: one {@link Mac} per thread, initialised once, with a buffer in which the
 * delimited parts are assembled and fed to it in one call: a name is hashed for every key of every
 * operation, and each {@code Mac.update} call costs as much as hashing a dozen bytes.
 */
final class KeyedNames implements KeyHasher {

  /** Input bytes a thread keeps a buffer for; a longer input gets an array of its own. */
  private static final int KEPT = 512;
  private static final VarHandle LENGTH = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private final ThreadLocal<ThreadMac> macs;

  KeyedNames(byte[] nameKey) {
    byte[] key = nameKey.clone();
    this.macs = ThreadLocal.withInitial(() -> new ThreadMac(Hmac.sha256(key), new byte[KEPT]));
  }

  @Override
  public byte[] hash(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length = Math.addExact(length, 4 + part.length);
    }
    ThreadMac own = macs.get();
    byte[] input = length <= KEPT ? own.input() : new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      at = writeDelimited(part, input, at);
    }
    own.mac().update(input, 0, length);
    return own.mac().doFinal();
  }

  /**
   * Writes {@code part} preceded by its length (int32, big-endian) at {@code at}, so that no two
   * lists of parts give equal input; returns the offset after it.
   */
  private static int writeDelimited(byte[] part, byte[] input, int at) {
    LENGTH.set(input, at, part.length);
    System.arraycopy(part, 0, input, at + 4, part.length);
    return at + 4 + part.length;
  }

  /** A thread's {@link Mac} and its input buffer of {@link #KEPT} bytes. */
  private record ThreadMac(Mac mac, byte[] input) {}
}
