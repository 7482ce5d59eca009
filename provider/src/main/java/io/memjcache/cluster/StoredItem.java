package io.memjcache.cluster;

/**
 * An item as memcached returned it: flags, bytes and, where the command returns one, its CAS id with
 * the node that issued it ({@code source}): a CAS id means nothing on another node. A CAS read of a
 * replicated key also carries the reads of the key's other replicas sent with it ({@link
 * ReplicaReadAhead}), so that a write decided on it can be copied without reading them again.
 */
public final class StoredItem {

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

  private final int flags;
  private final byte[] bytes;
  private final long cas;
  private final ServerAddress source;
  private final ReplicaReadAhead readAhead;

  public StoredItem(int flags, byte[] bytes, long cas, ServerAddress source) {
    this(flags, bytes, cas, source, null);
  }

  public StoredItem(int flags, byte[] bytes, long cas) {
    this(flags, bytes, cas, null, null);
  }

  private StoredItem(int flags, byte[] bytes, long cas, ServerAddress source, ReplicaReadAhead readAhead) {
    this.flags = flags;
    this.bytes = bytes;
    this.cas = cas;
    this.source = source;
    this.readAhead = readAhead;
  }

  public int flags() {
    return flags;
  }

  public byte[] bytes() {
    return bytes;
  }

  /** The CAS id, 0 when the command returns none (a multi-get). */
  public long cas() {
    return cas;
  }

  /** The node that issued the CAS id, null without one. */
  public ServerAddress source() {
    return source;
  }

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
    return new StoredItem(flags, bytes, newCas, from, null);
  }

  StoredItem withReadAhead(ReplicaReadAhead reads) {
    return new StoredItem(flags, bytes, cas, source, reads);
  }

  /** The other replicas' reads sent with this one, or null. */
  ReplicaReadAhead readAhead() {
    return readAhead;
  }

  @Override
  public String toString() {
    return "StoredItem[flags=" + flags + ", " + bytes.length + " bytes, cas=" + cas + ", source=" + source + "]";
  }
}
