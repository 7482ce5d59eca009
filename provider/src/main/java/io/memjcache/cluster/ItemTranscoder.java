package io.memjcache.cluster;

import net.spy.memcached.CachedData;
import net.spy.memcached.transcoders.Transcoder;

/**
 * Hands bytes to and from spymemcached untouched; serialization and envelopes are done on the
 * caller's thread by the codec, never on spymemcached's single I/O thread.
 */
final class ItemTranscoder {

  /** Reads keep the flags so that items of other clients are recognised. */
  static final Transcoder<StoredItem> READ = new Transcoder<>() {
    @Override
    public boolean asyncDecode(CachedData d) {
      return false;
    }

    @Override
    public CachedData encode(StoredItem o) {
      return new CachedData(o.flags(), o.bytes(), Integer.MAX_VALUE);
    }

    @Override
    public StoredItem decode(CachedData d) {
      return new StoredItem(d.getFlags(), d.getData(), 0L);
    }

    @Override
    public int getMaxSize() {
      return Integer.MAX_VALUE;
    }
  };

  private ItemTranscoder() {}

  /** Writes tag every item with {@code flags}; the size limit is the server's to enforce. */
  static Transcoder<byte[]> write(int flags) {
    return new Transcoder<>() {
      @Override
      public boolean asyncDecode(CachedData d) {
        return false;
      }

      @Override
      public CachedData encode(byte[] o) {
        return new CachedData(flags, o, Integer.MAX_VALUE);
      }

      @Override
      public byte[] decode(CachedData d) {
        return d.getData();
      }

      @Override
      public int getMaxSize() {
        return Integer.MAX_VALUE;
      }
    };
  }
}
