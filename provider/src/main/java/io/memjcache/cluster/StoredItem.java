package io.memjcache.cluster;

import io.memjcache.config.ServerAddress;

/**
 * An item as memcached returned it: flags, bytes and, where the command returns one, its CAS id with
 * the node that issued it ({@code source}): a CAS id means nothing on another node.
 */
public record StoredItem(int flags, byte[] bytes, long cas, ServerAddress source) {

  public StoredItem(int flags, byte[] bytes, long cas) {
    this(flags, bytes, cas, null);
  }

  /**
   * Flags of the marker a conditional delete leaves on a key's first replica while it deletes the
   * other copies: readers take it for absent and must not fall back to a replica not yet deleted.
   */
  public static final int TOMBSTONE_FLAGS = 0x6A74;

  /** Returns if this is a delete in progress, which reads as absent. */
  public boolean isTombstone() {
    return flags == TOMBSTONE_FLAGS;
  }

  StoredItem withCas(long newCas, ServerAddress from) {
    return new StoredItem(flags, bytes, newCas, from);
  }
}
