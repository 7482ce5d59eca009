package io.memjcache;

/** {@link EvolvedA} after a release that added a field (the tests rename A's bytes to C). */
final class EvolvedC {
  int first;
  int second;
  int third;
}
