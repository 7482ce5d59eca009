package io.memjcache;

/**
 * {@link EvolvedA} after a release that removed its first field and added another (the tests rename
 * A's bytes to B): as many fields as before, so positional reading would shift A's values silently.
 */
final class EvolvedB {
  int second;
  int zeta;
}
