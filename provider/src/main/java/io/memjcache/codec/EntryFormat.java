package io.memjcache.codec;

/**
 * How an entry's key, value, expiry and version become the bytes of a memcached item and back:
 * {@link #PLAIN} envelopes, or sealed ones ({@code io.memjcache.security.EntrySealer}).
 *
 * <p>Whatever the format, the first bytes are the clear header {@link EnvelopeCodec#expiresAtOf}
 * and {@link EnvelopeCodec#versionOf} read, so the cluster can order and copy items it cannot open.
 */
public interface EntryFormat {

  /** The {@link EnvelopeCodec} layout, with a checksum but no key: anyone may write it. */
  EntryFormat PLAIN = new EntryFormat() {
    @Override
    public byte[] encode(String memcachedKey, byte[] key, byte[] value, long expiresAtMillis, long version) {
      return EnvelopeCodec.encode(key, value, expiresAtMillis, version);
    }

    @Override
    public Envelope decode(String memcachedKey, int flags, byte[] bytes) {
      return EnvelopeCodec.decode(flags, bytes);
    }
  };

  /** Returns the bytes to store under {@code memcachedKey}. */
  byte[] encode(String memcachedKey, byte[] key, byte[] value, long expiresAtMillis, long version);

  /** Decodes bytes read from {@code memcachedKey}, or throws {@link CorruptEntryException}. */
  Envelope decode(String memcachedKey, int flags, byte[] bytes);
}
