package io.memjcache.config;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * The URI a cache manager goes by: the one it was asked for, with the characters a JMX
 * {@code ObjectName} value may not hold unquoted ({@code , = ? *}) percent-encoded.
 *
 * <p>Why: JSR-107 section 12 names a cache's MXBeans after its manager's URI, and monitoring
 * built on them (Micrometer's {@code JCacheMetrics}) rebuilds that name from {@code getURI()},
 * escaping only {@code :}; a {@code memcached://h1:11211,h2:11211/?copies=2} URI would make an
 * invalid name. Guarantees: URIs without those characters are their own manager URI (the
 * default URI, {@code memjcache:app}, {@code file:} and {@code jar:} URLs); the encoded and the
 * plain form name the same manager, with the same settings and namespace.
 */
public final class ManagerUri {

  private static final Map<String, String> ENCODED =
      Map.of(",", "%2C", "=", "%3D", "?", "%3F", "*", "%2A");

  private ManagerUri() {}

  /** The URI a manager asked for as {@code uri} goes by. */
  public static URI of(URI uri) {
    String text = uri.toString();
    for (Map.Entry<String, String> e : ENCODED.entrySet()) {
      text = text.replace(e.getKey(), e.getValue());
    }
    return URI.create(text);
  }

  /** The plain form of a manager URI, the one its settings and default namespace are read from. */
  public static URI plain(URI managerUri) {
    String text = managerUri.toString();
    for (Map.Entry<String, String> e : ENCODED.entrySet()) {
      // percent-encodings are case-insensitive (RFC 3986 section 2.1)
      text = text.replace(e.getValue(), e.getKey())
          .replace(e.getValue().toLowerCase(Locale.ROOT), e.getKey());
    }
    return URI.create(text);
  }
}
