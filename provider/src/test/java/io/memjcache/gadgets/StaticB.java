package io.memjcache.gadgets;

/** Runs code when initialised: a class merely named in stored bytes must never get that far. */
public final class StaticB {
  static {
    Gadgets.EFFECTS.add("static initializer");
  }

  int field = 1;
}
