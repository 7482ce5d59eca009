package io.memjcache.gadgets;

/** Harmless; its serialized name is rewritten to {@link StaticB}'s, which the JVM has not loaded. */
public final class StaticA {
  int field = 1;
}
