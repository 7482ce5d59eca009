package io.memjcache.cluster;

/** How memcached answered a conditional write (add, cas, delete with cas). */
public enum WriteOutcome {
  /** The write was applied. */
  APPLIED,
  /** The key exists (add) or holds a different CAS id (cas, delete with cas). */
  CONFLICT,
  /** The key does not exist (cas, delete). */
  NOT_FOUND
}
