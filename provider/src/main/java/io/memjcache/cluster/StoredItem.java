package io.memjcache.cluster;

/** An item as memcached returned it: flags, bytes and, where the command returns one, its CAS id. */
public record StoredItem(int flags, byte[] bytes, long cas) {

  /**
   * Flags of the marker a conditional delete leaves on a key's first replica while it deletes the
   * other copies: readers take it for absent and must not fall back to a replica not yet deleted.
   */
  public static final int TOMBSTONE_FLAGS = 0x6A74;

  /** Returns if this is a delete in progress, which reads as absent. */
  public boolean isTombstone() {
    return flags == TOMBSTONE_FLAGS;
  }

  StoredItem withCas(long newCas) {
    return new StoredItem(flags, bytes, newCas);
  }
}
