package io.memjcache.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * A provider configuration file named by a cache manager URI: {@code classpath:memjcache.properties},
 * a {@code file:} or {@code jar:} URL (what Spring's {@code spring.cache.jcache.config} and
 * hibernate-jcache's {@code hibernate.javax.cache.uri} hand over once they have found the resource),
 * or a bare resource name ending in {@code .properties}, looked up on the manager's class loader.
 *
 * <p>The file is in {@link Properties} format, read as UTF-8, and holds only {@code memjcache.*}
 * settings. Guarantees: a URI that names a file which cannot be read, or a file holding anything
 * but {@code memjcache.*} names, is an {@link IllegalArgumentException} naming the URI; every other
 * URI ({@code memjcache:app}, {@code memcached://...}, a bare name like {@code shop}) names no file.
 */
final class ConfigFile {

  private static final String SUFFIX = ".properties";

  private ConfigFile() {}

  /** The settings of the file {@code uri} names, or empty when it names none. */
  static Optional<Properties> read(URI uri, ClassLoader loader) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "file", "jar" -> Optional.of(load(uri, url(uri)));
      case "classpath" -> Optional.of(load(uri, resource(uri, loader, uri.getSchemeSpecificPart())));
      case "" -> uri.getPath() != null && uri.getPath().endsWith(SUFFIX)
          ? Optional.of(load(uri, resource(uri, loader, uri.getPath())))
          : Optional.empty();
      default -> {
        if (String.valueOf(uri.getPath()).endsWith(SUFFIX)) {
          throw new IllegalArgumentException("cache manager URI " + uri
              + ": configuration files are read from classpath:, file: and jar: URIs only");
        }
        yield Optional.empty();
      }
    };
  }

  private static URL url(URI uri) {
    try {
      if (uri.getScheme().equalsIgnoreCase("file") && !Files.isRegularFile(Path.of(uri))) {
        throw unreadable(uri, "no such file");
      }
      return uri.toURL();
    } catch (IOException | IllegalArgumentException e) {
      throw unreadable(uri, e.toString());
    }
  }

  private static URL resource(URI uri, ClassLoader loader, String name) {
    String path = name.startsWith("/") ? name.substring(1) : name;
    URL url = loader == null ? ClassLoader.getSystemResource(path) : loader.getResource(path);
    if (url == null) {
      throw unreadable(uri, "no resource " + path + " on the class path");
    }
    return url;
  }

  private static Properties load(URI uri, URL url) {
    Properties settings = new Properties();
    try (InputStream in = url.openStream();
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      settings.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw unreadable(uri, e.toString());
    }
    for (String name : settings.stringPropertyNames()) {
      if (!name.startsWith(Settings.PREFIX)) {
        throw new IllegalArgumentException("configuration " + uri + ": '" + name
            + "' is not a setting; every name starts with " + Settings.PREFIX);
      }
    }
    return settings;
  }

  private static IllegalArgumentException unreadable(URI uri, String why) {
    return new IllegalArgumentException("cannot read the configuration named by cache manager URI "
        + uri + ": " + why);
  }
}
