package io.memjcache.cluster;

/**
 * The SASL PLAIN user name and password every connection authenticates with (memcached {@code -S}),
 * or {@link #NONE}. {@link #toString} never shows the password.
 */
public record SaslCredentials(String username, String password) {

  /** No authentication. */
  public static final SaslCredentials NONE = new SaslCredentials("", "");

  public boolean isSet() {
    return !username.isEmpty();
  }

  @Override
  public String toString() {
    return isSet() ? "SASL user " + username : "no SASL";
  }
}
