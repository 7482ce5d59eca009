package io.memjcache.processor;

/** What an entry processor did to its entry, decided after {@code process} returns. */
public enum Action {
  /** Neither read nor changed it. */
  NONE,
  /** Read an existing value. */
  READ,
  /** Loaded a value through the cache loader (stored, but not written through). */
  LOADED,
  /** Set a value on an absent entry. */
  CREATED,
  /** Set a value on an existing entry. */
  UPDATED,
  /** Removed the entry (which may have been absent: the removal still goes to the writer). */
  REMOVED
}
