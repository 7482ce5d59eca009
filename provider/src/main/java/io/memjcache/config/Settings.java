package io.memjcache.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Reads {@link ClusterSettings} from, highest precedence first: the {@code Properties} given to
 * {@code getCacheManager}, the query of a {@code memcached://} URI, JVM system properties, defaults.
 *
 * <p>An unknown {@code memjcache.*} name or a malformed value is an {@link IllegalArgumentException}
 * that names the setting, so a typo never silently falls back to a default.
 */
public final class Settings {

  public static final String PREFIX = "memjcache.";
  public static final String SERVERS = PREFIX + "servers";
  public static final String BACKUP_SERVERS = PREFIX + "backupServers";
  public static final String COPIES = PREFIX + "copies";
  public static final String OPERATION_TIMEOUT = PREFIX + "operationTimeoutMillis";
  public static final String RETRY_INTERVAL = PREFIX + "retryIntervalMillis";
  public static final String FAILURE_THRESHOLD = PREFIX + "failureThreshold";
  public static final String NAMESPACE = PREFIX + "namespace";
  /** Classes (patterns) deserialization may instantiate beyond the JDK defaults; per manager. */
  public static final String ALLOWED_CLASSES = PREFIX + "allowedClasses";

  public static final String DEFAULT_SERVERS = "127.0.0.1:11211";
  public static final int DEFAULT_COPIES = 2;
  public static final long DEFAULT_OPERATION_TIMEOUT_MILLIS = 500;
  public static final long DEFAULT_RETRY_INTERVAL_MILLIS = 1000;
  public static final int DEFAULT_FAILURE_THRESHOLD = 1;

  private static final Set<String> KNOWN =
      Set.of(SERVERS, BACKUP_SERVERS, COPIES, OPERATION_TIMEOUT, RETRY_INTERVAL, FAILURE_THRESHOLD,
          NAMESPACE, ALLOWED_CLASSES);

  private Settings() {}

  /** Resolves the settings of the manager identified by {@code uri}. */
  public static ClusterSettings resolve(URI uri, Properties given, Properties system) {
    Properties merged = new Properties();
    copyOurs(system, merged);
    copyOurs(queryOf(uri), merged);
    copyOurs(given, merged);
    for (String name : merged.stringPropertyNames()) {
      if (!KNOWN.contains(name)) {
        throw new IllegalArgumentException("unknown setting " + name + "; known: " + KNOWN);
      }
    }
    String servers = hostsOf(uri);
    if (servers == null) {
      servers = merged.getProperty(SERVERS, DEFAULT_SERVERS);
    }
    return new ClusterSettings(parseServers(SERVERS, servers),
        parseServers(BACKUP_SERVERS, merged.getProperty(BACKUP_SERVERS, "")),
        intNumber(merged, COPIES, DEFAULT_COPIES),
        number(merged, OPERATION_TIMEOUT, DEFAULT_OPERATION_TIMEOUT_MILLIS),
        number(merged, RETRY_INTERVAL, DEFAULT_RETRY_INTERVAL_MILLIS),
        intNumber(merged, FAILURE_THRESHOLD, DEFAULT_FAILURE_THRESHOLD),
        merged.getProperty(NAMESPACE, uri.toString()),
        merged.getProperty(ALLOWED_CLASSES, ""));
  }

  static List<ServerAddress> parseServers(String setting, String list) {
    List<ServerAddress> servers = new ArrayList<>();
    for (String item : list.split(",")) {
      if (item.isBlank()) {
        continue;
      }
      try {
        servers.add(ServerAddress.parse(item));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(setting + ": " + e.getMessage(), e);
      }
    }
    return servers;
  }

  /** Servers named in a {@code memcached://h1:p1,h2:p2/} URI, or null for any other URI. */
  private static String hostsOf(URI uri) {
    if (!"memcached".equalsIgnoreCase(uri.getScheme())) {
      return null;
    }
    String authority = uri.getRawAuthority();
    if (authority == null || authority.isBlank()) {
      throw new IllegalArgumentException(SERVERS + ": URI " + uri + " names no servers");
    }
    return authority;
  }

  private static Properties queryOf(URI uri) {
    Properties query = new Properties();
    if (!"memcached".equalsIgnoreCase(uri.getScheme()) || uri.getRawQuery() == null) {
      return query;
    }
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("URI " + uri + ": '" + pair + "' is not name=value");
      }
      String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
      query.setProperty(name.startsWith(PREFIX) ? name : PREFIX + name,
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return query;
  }

  private static void copyOurs(Properties from, Properties to) {
    if (from == null) {
      return;
    }
    for (String name : from.stringPropertyNames()) {
      if (name.startsWith(PREFIX)) {
        to.setProperty(name, from.getProperty(name));
      }
    }
  }

  private static int intNumber(Properties props, String name, int fallback) {
    long value = number(props, name, fallback);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + ": '" + props.getProperty(name) + "' is out of range");
    }
    return (int) value;
  }

  private static long number(Properties props, String name, long fallback) {
    String value = props.getProperty(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": '" + value + "' is not a whole number");
    }
  }
}
