package io.memjcache.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Cyrus SASL password database and configuration for memcached started with {@code -S}: a
 * temporary directory holding {@code sasldb2} (made with {@code saslpasswd2}) and
 * {@code memcached.conf} ({@code mech_list: plain}), which memcached finds through the
 * {@code SASL_CONF_PATH} variable of {@link #environment()}. {@link #close()} deletes it.
 *
 * <p>Needs {@code saslpasswd2} (Debian: {@code sasl2-bin}) and the PLAIN module
 * ({@code libsasl2-modules}); a missing tool is an error saying how to install it.
 */
public final class SaslUsers implements AutoCloseable {

  /** The server option that turns SASL on (and the text protocol off). */
  public static final List<String> SERVER_ARGS = List.of("-S");

  private final Path dir;

  private SaslUsers(Path dir) {
    this.dir = dir;
  }

  /** Creates a database holding one user. */
  public static SaslUsers create(String username, String password) {
    Path dir;
    try {
      dir = Files.createTempDirectory("memjcache-sasl");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a directory for the SASL database", e);
    }
    SaslUsers users = new SaslUsers(dir);
    try {
      Files.writeString(dir.resolve("memcached.conf"),
          "mech_list: plain\nsasldb_path: " + dir.resolve("sasldb2") + "\n");
      users.add(username, password);
      return users;
    } catch (IOException | RuntimeException e) {
      users.close();
      throw new IllegalStateException("cannot create the SASL database in " + dir + ": " + e, e);
    }
  }

  /** Adds (or changes) a user: {@code saslpasswd2 -p -a memcached -c -f <db> <user>}. */
  public void add(String username, String password) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(saslpasswd2().toString(), "-p", "-a", "memcached",
        "-c", "-f", dir.resolve("sasldb2").toString(), username));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().write(password.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(cmd + " failed: "
            + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + cmd, e);
    }
  }

  /** The environment memcached needs to find this configuration. */
  public Map<String, String> environment() {
    return Map.of("SASL_CONF_PATH", dir.toString());
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: nothing holds on to it
    }
  }

  private static Path saslpasswd2() {
    List<Path> candidates = new ArrayList<>();
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!d.isEmpty()) {
        candidates.add(Path.of(d, "saslpasswd2"));
      }
    }
    candidates.add(Path.of("/usr/sbin/saslpasswd2"));
    return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() ->
        new IllegalStateException("saslpasswd2 not found (searched " + candidates + "); install it"
            + " with 'sudo apt-get install -y sasl2-bin libsasl2-modules' (Debian/Ubuntu)"));
  }
}
