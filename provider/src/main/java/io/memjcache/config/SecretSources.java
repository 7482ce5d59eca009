package io.memjcache.config;

import io.memjcache.cluster.SaslCredentials;
import io.memjcache.security.KeyRing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Reads the secrets of {@link Settings}: the shared secret that seals entries and the SASL password,
 * each given inline, in a file or in an environment variable, exactly one of these. A source that
 * cannot be used is an error naming its setting; no message ever contains a secret.
 */
final class SecretSources {

  private SecretSources() {}

  static KeyRing keyRing(Properties merged, Map<String, String> env) {
    String[] source = oneOf(merged, env, Settings.SECRET, Settings.SECRET_FILE, Settings.SECRET_ENV);
    return source == null ? KeyRing.NONE : KeyRing.parse(source[0], source[1]);
  }

  static SaslCredentials credentials(Properties merged, Map<String, String> env) {
    String username = merged.getProperty(Settings.USERNAME);
    String[] password = oneOf(merged, env, Settings.PASSWORD, Settings.PASSWORD_FILE, Settings.PASSWORD_ENV);
    if (username == null && password == null) {
      return SaslCredentials.NONE;
    }
    if (username == null || username.isBlank()) {
      // both null returned above: a null user comes with a password, a blank one may come alone
      throw new IllegalArgumentException(password == null
          ? Settings.USERNAME + " is blank"
          : Settings.USERNAME + " is needed with " + password[0]);
    }
    if (password == null) {
      throw new IllegalArgumentException(Settings.USERNAME + " needs a password: set one of "
          + Settings.PASSWORD + ", " + Settings.PASSWORD_FILE + ", " + Settings.PASSWORD_ENV);
    }
    String text = password[0].equals(Settings.PASSWORD_FILE) ? withoutFinalNewline(password[1]) : password[1];
    if (text.isEmpty()) {
      throw new IllegalArgumentException(password[0] + ": the password is empty");
    }
    return new SaslCredentials(username.trim(), text);
  }

  /**
   * Returns {setting, text} of the one source set among an inline value, a file and an
   * environment variable, or null if none is; more than one is an error.
   */
  private static String @Nullable [] oneOf(Properties merged, Map<String, String> env, String inline, String file,
      String variable) {
    List<String> given = new ArrayList<>();
    for (String name : List.of(inline, file, variable)) {
      if (merged.getProperty(name) != null) {
        given.add(name);
      }
    }
    if (given.size() > 1) {
      throw new IllegalArgumentException(String.join(", ", given) + ": set only one of them");
    }
    if (given.isEmpty()) {
      return null;
    }
    String name = given.get(0);
    String value = merged.getProperty(name);
    if (name.equals(file)) {
      return new String[] {name, read(name, value.trim())};
    }
    if (name.equals(variable)) {
      String text = env.get(value.trim());
      if (text == null || text.isEmpty()) {
        throw new IllegalArgumentException(name + ": environment variable " + value.trim() + " is not set");
      }
      return new String[] {name, text};
    }
    return new String[] {name, value};
  }

  private static String read(String setting, String path) {
    try {
      return Files.readString(Path.of(path));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(setting + ": cannot read " + path + " (" + e + ")");
    }
  }

  private static String withoutFinalNewline(String text) {
    if (text.endsWith("\r\n")) {
      return text.substring(0, text.length() - 2);
    }
    return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
  }
}
