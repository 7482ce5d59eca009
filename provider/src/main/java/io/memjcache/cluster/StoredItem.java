package io.memjcache.cluster;

/** An item as memcached returned it: flags, bytes and, where the command returns one, its CAS id. */
public record StoredItem(int flags, byte[] bytes, long cas) {

  StoredItem withCas(long newCas) {
    return new StoredItem(flags, bytes, newCas);
  }
}
