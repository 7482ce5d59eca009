package io.memjcache.cluster;

/**
 * What the cluster needs to know of the entries it stores, without knowing their layout: the
 * layer that encodes entries implements it and hands it to {@link Cluster}, so this package
 * depends on no other package of the provider.
 *
 * <p>Replication compares write versions (a copy never replaces a newer write), drops expired
 * copies, gives a copy its source's memcached exptime, and repairs only the provider's own keys
 * (another application's items on the same servers are left alone).
 */
public interface ItemFormat {

  /** The memcached flags every entry is written with. */
  int flags();

  /** The write version of an item; {@code Long.MIN_VALUE} if it is not an entry. */
  long versionOf(int flags, byte[] bytes);

  /** The absolute expiry in ms of an item; {@code Long.MIN_VALUE} if it is not an entry. */
  long expiresAtOf(int flags, byte[] bytes);

  /** The memcached exptime of an entry expiring at {@code expiresAtMillis}, as of {@code nowMillis}. */
  int exptime(long expiresAtMillis, long nowMillis);

  /** Returns if a memcached key has the shape of the provider's entry keys. */
  boolean isEntryKey(String memcachedKey);

  /** The write version of a stored item; {@code Long.MIN_VALUE} for none, a marker or a foreign item. */
  default long versionOf(StoredItem item) {
    return item == null ? Long.MIN_VALUE : versionOf(item.flags(), item.bytes());
  }

  /** The expiry of a stored item; {@code Long.MIN_VALUE} for none, a marker or a foreign item. */
  default long expiresAtOf(StoredItem item) {
    return item == null ? Long.MIN_VALUE : expiresAtOf(item.flags(), item.bytes());
  }
}
