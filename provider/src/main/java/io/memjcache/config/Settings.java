package io.memjcache.config;

import io.memjcache.cluster.ServerAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@link ManagerSettings} from, highest precedence first: the {@code Properties} given to
 * {@code getCacheManager}, the query of a {@code memcached://} URI, the configuration file the URI
 * names, JVM system properties, defaults. Per-cache settings are {@code memjcache.cache.<name>.*}
 * ({@link CacheDeclarations}).
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
  public static final String DOWN_AFTER = PREFIX + "downAfterMillis";
  public static final String SECRET = PREFIX + "secret";
  public static final String SECRET_FILE = PREFIX + "secretFile";
  public static final String SECRET_ENV = PREFIX + "secretEnv";
  public static final String USERNAME = PREFIX + "username";
  public static final String PASSWORD = PREFIX + "password";
  public static final String PASSWORD_FILE = PREFIX + "passwordFile";
  public static final String PASSWORD_ENV = PREFIX + "passwordEnv";
  public static final String WHEN_UNREACHABLE = PREFIX + "whenUnreachable";
  /** Classes (patterns) deserialization may instantiate beyond the JDK defaults; per manager. */
  public static final String ALLOWED_CLASSES = PREFIX + "allowedClasses";

  public static final String DEFAULT_SERVERS = "127.0.0.1:11211";
  public static final int DEFAULT_COPIES = 2;
  public static final long DEFAULT_OPERATION_TIMEOUT_MILLIS = 500;
  public static final long DEFAULT_RETRY_INTERVAL_MILLIS = 1000;
  public static final int DEFAULT_FAILURE_THRESHOLD = 1;
  public static final long DEFAULT_DOWN_AFTER_MILLIS = 5000;

  private static final Set<String> KNOWN =
      Set.of(SERVERS, BACKUP_SERVERS, COPIES, OPERATION_TIMEOUT, RETRY_INTERVAL, FAILURE_THRESHOLD,
          DOWN_AFTER, NAMESPACE, SECRET, SECRET_FILE, SECRET_ENV, USERNAME, PASSWORD, PASSWORD_FILE,
          PASSWORD_ENV, WHEN_UNREACHABLE, ALLOWED_CLASSES);

  private Settings() {}

  /** The manager-wide setting names (per-cache ones are {@link CacheDeclarations#PREFIX}...). */
  public static Set<String> names() {
    return KNOWN;
  }

  /**
   * Resolves the settings of the manager identified by {@code uri}, reading the configuration file
   * it names (see {@link ConfigFile}) with {@code loader}.
   */
  public static ManagerSettings resolve(URI uri, ClassLoader loader, Properties given,
      Properties system) {
    return resolve(uri, loader, given, system, System.getenv());
  }

  /** As {@link #resolve(URI, ClassLoader, Properties, Properties)}, with {@code env} as the environment. */
  public static ManagerSettings resolve(URI uri, ClassLoader loader, Properties given,
      Properties system, Map<String, String> env) {
    Optional<Properties> file = ConfigFile.read(uri, loader);
    Properties merged = new Properties();
    copyOurs(system, merged);
    file.ifPresent(settings -> copyOurs(settings, merged));
    copyOurs(queryOf(uri), merged);
    copyOurs(given, merged);
    for (String name : merged.stringPropertyNames()) {
      if (!KNOWN.contains(name) && !name.startsWith(CacheDeclarations.PREFIX)) {
        throw new IllegalArgumentException("unknown setting " + name + "; known: " + KNOWN
            + " and " + CacheDeclarations.PREFIX + "<name>.<attribute>");
      }
    }
    String servers = hostsOf(uri);
    boolean serversDefaulted = servers == null && merged.getProperty(SERVERS) == null;
    if (servers == null) {
      servers = merged.getProperty(SERVERS, DEFAULT_SERVERS);
    }
    ClusterSettings cluster = new ClusterSettings(parseServers(SERVERS, servers),
        parseServers(BACKUP_SERVERS, merged.getProperty(BACKUP_SERVERS, "")),
        intNumber(merged, COPIES, DEFAULT_COPIES),
        number(merged, OPERATION_TIMEOUT, DEFAULT_OPERATION_TIMEOUT_MILLIS),
        number(merged, RETRY_INTERVAL, DEFAULT_RETRY_INTERVAL_MILLIS),
        intNumber(merged, FAILURE_THRESHOLD, DEFAULT_FAILURE_THRESHOLD),
        number(merged, DOWN_AFTER, DEFAULT_DOWN_AFTER_MILLIS),
        namespace(uri, merged, file.isPresent()),
        SecretSources.keyRing(merged, env), SecretSources.credentials(merged, env),
        merged.getProperty(ALLOWED_CLASSES, ""));
    return new ManagerSettings(cluster, CacheDeclarations.parse(merged), serversDefaulted,
        whenUnreachable(merged.getProperty(WHEN_UNREACHABLE, "fail")));
  }

  /** The cluster settings of {@code uri}, with configuration files looked up on this class's loader. */
  public static ClusterSettings resolve(URI uri, Properties given, Properties system) {
    return resolve(uri, Settings.class.getClassLoader(), given, system).cluster();
  }

  /** As {@link #resolve(URI, Properties, Properties)}, with {@code env} as the environment. */
  public static ClusterSettings resolve(URI uri, Properties given, Properties system,
      Map<String, String> env) {
    return resolve(uri, Settings.class.getClassLoader(), given, system, env).cluster();
  }

  /**
   * The namespace defaults to the manager URI, except for a URI naming a file: Spring and Hibernate
   * hand over the file's absolute URL, which differs between deployments of one application, and
   * instances that should share entries would silently stop doing so.
   */
  private static String namespace(URI uri, Properties merged, boolean namesFile) {
    String namespace = merged.getProperty(NAMESPACE);
    if (namespace == null && namesFile) {
      throw new IllegalArgumentException(NAMESPACE + " must be set when the cache manager URI names"
          + " a configuration file (" + uri + "): its default, the URI, would be a file path");
    }
    return namespace == null ? uri.toString() : namespace;
  }

  private static WhenUnreachable whenUnreachable(String value) {
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "fail" -> WhenUnreachable.FAIL;
      case "miss" -> WhenUnreachable.MISS;
      default -> throw new IllegalArgumentException(
          WHEN_UNREACHABLE + ": '" + value + "' is not fail or miss");
    };
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
  private static @Nullable String hostsOf(URI uri) {
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
      String setting = name.startsWith(PREFIX) ? name : PREFIX + name;
      if (setting.equals(SECRET) || setting.equals(PASSWORD)) {
        // a manager's URI is its name: logged, shown in JMX, the default namespace
        throw new IllegalArgumentException(setting + " must not be given in the URI; use "
            + setting + "File or " + setting + "Env");
      }
      query.setProperty(setting, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
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
