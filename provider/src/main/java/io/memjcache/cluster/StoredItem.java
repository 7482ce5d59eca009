package io.memjcache.cluster;


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

  /**
   * Flags of the marker a copy puts on a node that misses a key before it reads the key's other
   * replica: the copy then replaces the marker by CAS, so a delete that reached the node in between
   * (and so the other replica before it) makes the copy fail instead of bringing the entry back.
   * Readers take it for a miss on that node.
   */
  public static final int COPY_CLAIM_FLAGS = 0x6A75;

  /** Returns if this is a delete in progress, which reads as absent. */
  public boolean isTombstone() {
    return flags == TOMBSTONE_FLAGS;
  }

  /** Returns if this is a copy in progress: the node has no entry for the key. */
  public boolean isClaim() {
    return flags == COPY_CLAIM_FLAGS;
  }

  /** Returns if this is one of the markers above rather than an entry. */
  public boolean isMarker() {
    return isTombstone() || isClaim();
  }

  StoredItem withCas(long newCas, ServerAddress from) {
    return new StoredItem(flags, bytes, newCas, from);
  }
}
