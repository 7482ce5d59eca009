package io.memjcache.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class that starts real memcached processes (directly, through
 * {@link MemcachedCluster} or {@link MemcachedClusterExtension}): an integration test.
 *
 * <p>The build runs such classes in the integration phase only (maven-failsafe-plugin, by the JUnit
 * tag {@value #TAG}); the unit phase (maven-surefire-plugin, {@code ./mvnw test}) leaves them out,
 * and there {@link MemcachedProcess} refuses to start a server, so a class that lacks this
 * annotation fails at once with a message naming it instead of slowing the unit run down.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Tag(RealMemcached.TAG)
public @interface RealMemcached {

  /** The JUnit tag the build selects integration tests by. */
  String TAG = "memcached";
}
