package io.memjcache.management;

/**
 * Stored items this JVM found unreadable: corrupt, truncated, forged, of a class not allowed or of
 * the wrong type. Registered as {@code io.memjcache:type=BadEntries}; JSR-107's statistics MXBean
 * has a fixed set of attributes, so these counters live beside it.
 */
public interface BadEntriesMXBean {

  /** Bad items read (each read as a miss). */
  long getFound();

  /** Bad items deleted (with CAS: only the item that was read). */
  long getDeleted();

  /** Why the last bad item was bad, with its memcached key. */
  String getLastReason();
}
