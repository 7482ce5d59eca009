package io.memjcache.gadgets;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An attacker's classes: each records in {@link #EFFECTS} that its code ran. Deserializing stored
 * bytes must never run any of it. This package is outside the tests' {@code memjcache.allowedClasses}.
 */
public final class Gadgets {

  /** What ran: "readObject", "hashCode", "compare", "static initializer". */
  public static final Set<String> EFFECTS = ConcurrentHashMap.newKeySet();

  private Gadgets() {}

  /** Runs code when Java serialization reads it. */
  public static final class ReadObject implements Serializable {
    private static final long serialVersionUID = 1;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      EFFECTS.add("readObject");
    }
  }

  /** Runs code when used as a hash key. */
  public static final class HashCode implements Serializable {
    private static final long serialVersionUID = 1;
    int id;

    public HashCode(int id) {
      this.id = id;
    }

    @Override
    public int hashCode() {
      EFFECTS.add("hashCode");
      return id;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof HashCode h && h.id == id;
    }
  }

  /** Runs code when a TreeMap or TreeSet orders its elements. */
  public static final class Compare implements Comparator<String>, Serializable {
    private static final long serialVersionUID = 1;

    @Override
    public int compare(String a, String b) {
      EFFECTS.add("compare");
      return a.compareTo(b);
    }
  }
}
