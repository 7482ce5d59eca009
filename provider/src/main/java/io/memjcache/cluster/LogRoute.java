package io.memjcache.cluster;

/**
 * Where the cluster layer's log records go. The provider registers its own route (SLF4J when
 * present, {@code java.util.logging} otherwise) as a {@link java.util.ServiceLoader} service, so
 * that this package needs no logging package of the provider; without one, records go to
 * {@link System#getLogger}.
 */
public interface LogRoute {

  /** The logger of that name. */
  System.Logger logger(String name);
}
