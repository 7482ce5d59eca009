package io.memjcache.codec;

import com.esotericsoftware.kryo.util.Util;

/**
 * Keeps kryo off {@code sun.misc.Unsafe}, whose memory-access methods the JDK deprecates for removal
 * and, from Java 24 on, reports on stderr at their first call (JEP 471, JEP 498).
 *
 * <p>kryo 5 (5.6.2 is its latest release) decides once, in the static initializer of its
 * {@code Util} class, whether its field serializer uses Unsafe: it does unless the system property
 * {@code kryo.unsafe} is {@code "false"}, and trying is what prints the warning (its
 * {@code UnsafeUtil} calls {@code Unsafe.arrayBaseOffset}). kryo has no other switch, and no kryo
 * release or artifact leaves {@code UnsafeUtil} out. So before the provider makes its first kryo
 * instance, this class initializes {@code Util} with the property set to {@code "false"} and then
 * removes it again: the decision is made once, by the JVM's class initialization, and no JVM-wide
 * setting stays behind.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>kryo's field serializer reads and writes fields by reflection (ReflectASM for public fields
 *       of public classes) instead of Unsafe offsets. The bytes are the same either way: entries
 *       written by a JVM whose kryo used Unsafe read back unchanged, and the other way round.
 *   <li>A {@code kryo.unsafe} the user set is left alone and decides ({@code -Dkryo.unsafe=true}
 *       brings kryo's Unsafe paths, and the JDK's warning, back).
 *   <li>kryo's {@code Util} is shared by everything using kryo from the same class loader. If other
 *       code initialized it first, its decision stands and this class changes nothing.
 * </ul>
 */
final class KryoWithoutUnsafe {

  static final String PROPERTY = "kryo.unsafe";

  // the JVM runs this once, before the first call of decide(), and makes concurrent callers wait
  static {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "false");
      try {
        Util.isUnsafeAvailable();
      } finally {
        System.clearProperty(PROPERTY);
      }
    }
  }

  private KryoWithoutUnsafe() {}

  /** Makes sure kryo's Unsafe decision has been taken, without Unsafe unless the user asked for it. */
  static void decide() {
    // the work is in the static initializer
  }
}
