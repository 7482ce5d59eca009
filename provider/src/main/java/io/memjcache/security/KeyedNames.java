package io.memjcache.security;

import io.memjcache.codec.KeyHasher;
import javax.crypto.Mac;

/**
 * Names memcached keys with HMAC-SHA256 under a {@link KeyRing}'s name key: without the secret, a
 * key listing ({@code lru_crawler metadump}) tells neither which cache an item belongs to nor its
 * key, and an outsider cannot compute the name under which a given key is stored.
 *
 * <p>Thread-safe: one {@link Mac} per thread, initialised once.
 */
final class KeyedNames implements KeyHasher {

  private final ThreadLocal<Mac> macs;

  KeyedNames(byte[] nameKey) {
    byte[] key = nameKey.clone();
    this.macs = ThreadLocal.withInitial(() -> Hmac.sha256(key));
  }

  @Override
  public byte[] hash(byte[]... parts) {
    Mac mac = macs.get();
    for (byte[] part : parts) {
      Hmac.updateDelimited(mac, part);
    }
    return mac.doFinal();
  }
}
