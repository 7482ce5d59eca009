package io.memjcache.config;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.cache.configuration.Factory;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;

/**
 * Parses a per-cache expiry setting into one of the five JCache standard policies:
 * {@code eternal}, or {@code created|accessed|modified|touched:<amount><unit>} with the unit one of
 * {@code ms, s, m, h, d} (e.g. {@code created:10m}, {@code touched:1800s}).
 *
 * <p>The factories are the serializable singletons of JSR-107's {@code *ExpiryPolicy.factoryOf}, as
 * an application would build them itself.
 */
final class ExpirySetting {

  private static final Pattern POLICY =
      Pattern.compile("(created|accessed|modified|touched):(\\d+)(ms|s|m|h|d)");

  private ExpirySetting() {}

  static Factory<? extends ExpiryPolicy> parse(String setting, String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.equals("eternal")) {
      return EternalExpiryPolicy.factoryOf();
    }
    Matcher m = POLICY.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(setting + ": '" + text + "' is not eternal or "
          + "created|accessed|modified|touched:<amount><ms|s|m|h|d> (e.g. created:10m)");
    }
    Duration duration = duration(setting, text, m.group(2), m.group(3));
    return switch (m.group(1)) {
      case "created" -> CreatedExpiryPolicy.factoryOf(duration);
      case "accessed" -> AccessedExpiryPolicy.factoryOf(duration);
      case "modified" -> ModifiedExpiryPolicy.factoryOf(duration);
      default -> TouchedExpiryPolicy.factoryOf(duration);
    };
  }

  private static Duration duration(String setting, String text, String amount, String unit) {
    long n;
    try {
      n = Long.parseLong(amount);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(setting + ": '" + text + "': " + amount + " is too large");
    }
    if (n == 0) {
      // JSR-107 Duration.ZERO means "expire at once", which a cache-wide setting never wants
      throw new IllegalArgumentException(setting + ": '" + text + "': the duration must be above 0");
    }
    return new Duration(switch (unit) {
      case "ms" -> TimeUnit.MILLISECONDS;
      case "s" -> TimeUnit.SECONDS;
      case "m" -> TimeUnit.MINUTES;
      case "h" -> TimeUnit.HOURS;
      default -> TimeUnit.DAYS;
    }, n);
  }
}
