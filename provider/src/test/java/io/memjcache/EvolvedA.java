package io.memjcache;

/** Version 1 of a class: two fields. */
final class EvolvedA {
  int first;
  int second;

  EvolvedA(int first, int second) {
    this.first = first;
    this.second = second;
  }
}
