package io.memjcache;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link CacheGeneration} record says: the cache's keys are of generation {@code previous}
 * before {@code switchAtMillis} (wall clock) and of {@code generation} from then on. Stored as the
 * text {@code v1 <generation> <previous> <switchAtMillis>}.
 *
 * <p>Generations are wall-clock milliseconds when made, and at least one more than the one they
 * follow, so that a record made anew after the old one was lost does not name an old generation.
 */
record GenerationRecord(long generation, long previous, long switchAtMillis) {

  private static final String VERSION = "v1";

  /** The longest text {@link #parse} reads: three longs and their separators. */
  private static final int MAX_TEXT = 80;

  /** A record for a cache that has none: one generation, nothing to switch from. */
  static GenerationRecord fresh(long nowMillis) {
    return new GenerationRecord(nowMillis, nowMillis, 0);
  }

  /** The record after a clear at {@code nowMillis}: a new generation from {@code switchAtMillis} on. */
  GenerationRecord clearedAt(long nowMillis, long switchAtMillis) {
    return new GenerationRecord(Math.max(generation + 1, nowMillis), generation, switchAtMillis);
  }

  String format() {
    return VERSION + " " + generation + " " + previous + " " + switchAtMillis;
  }

  /** Reads a record's text; null unless it is one (a stranger may have written anything there). */
  static @Nullable GenerationRecord parse(String text) {
    if (text.length() > MAX_TEXT) {
      return null;
    }
    String[] parts = text.split(" ", -1);
    if (parts.length != 4 || !parts[0].equals(VERSION)) {
      return null;
    }
    try {
      long generation = Long.parseLong(parts[1]);
      long previous = Long.parseLong(parts[2]);
      long switchAt = Long.parseLong(parts[3]);
      boolean valid = previous >= 1 && generation >= previous && switchAt >= 0;
      return valid ? new GenerationRecord(generation, previous, switchAt) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
