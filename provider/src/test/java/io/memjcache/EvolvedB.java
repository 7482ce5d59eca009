package io.memjcache;

/** {@link EvolvedA} after a release that removed its first field (the tests rename A's bytes to B). */
final class EvolvedB {
  int second;
}
