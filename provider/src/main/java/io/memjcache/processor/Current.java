package io.memjcache.processor;

import io.memjcache.cluster.StoredItem;
import io.memjcache.codec.EncodedKey;
import io.memjcache.codec.Envelope;
import org.jspecify.annotations.Nullable;

/**
 * What memcached holds for a key at one moment of a CAS loop.
 *
 * @param item the raw item with its CAS id, or null if memcached has none
 * @param envelope the decoded entry, or null if absent, corrupt or someone else's
 * @param expired the entry's JCache expiry time has passed: it reads as absent
 * @param now the clock reading every expiry decision about this state uses, so that a zero duration
 *     is "expired now" and never "expires next millisecond"
 */
public record Current<K>(EncodedKey<K> key, @Nullable StoredItem item, @Nullable Envelope envelope, boolean expired,
    long now) {

  /** Returns if the cache holds a live entry for the key. */
  public boolean present() {
    return envelope != null && !expired;
  }
}
