package io.memjcache.config;

import io.memjcache.cluster.ItemFormat;
import io.memjcache.codec.EnvelopeCodec;
import io.memjcache.codec.KeyCodec;
import io.memjcache.expiry.ExpiryTimes;

/**
 * The provider's entries as the cluster layer sees them: envelopes ({@link EnvelopeCodec}) under
 * {@link KeyCodec} keys, stored with {@link ExpiryTimes} exptimes. Here, where the settings are
 * turned into a cluster, because it joins three packages the cluster layer must not depend on.
 */
final class EnvelopeItemFormat implements ItemFormat {

  static final ItemFormat INSTANCE = new EnvelopeItemFormat();

  private EnvelopeItemFormat() {}

  @Override
  public int flags() {
    return EnvelopeCodec.FLAGS;
  }

  @Override
  public long versionOf(int flags, byte[] bytes) {
    return EnvelopeCodec.versionOf(flags, bytes);
  }

  @Override
  public long expiresAtOf(int flags, byte[] bytes) {
    return EnvelopeCodec.expiresAtOf(flags, bytes);
  }

  @Override
  public int exptime(long expiresAtMillis, long nowMillis) {
    return ExpiryTimes.exptime(expiresAtMillis, nowMillis);
  }

  @Override
  public boolean isEntryKey(String memcachedKey) {
    return KeyCodec.isEntryKey(memcachedKey);
  }
}
