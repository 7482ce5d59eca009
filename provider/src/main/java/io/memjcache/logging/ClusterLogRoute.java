package io.memjcache.logging;

import io.memjcache.cluster.LogRoute;

/**
 * Sends the cluster layer's records to the provider's {@link Log}; registered in
 * {@code META-INF/services}, found by the cluster layer with {@link java.util.ServiceLoader}.
 */
public final class ClusterLogRoute implements LogRoute {

  @Override
  public System.Logger logger(String name) {
    return new LogAsSystemLogger(name, Log.named(name));
  }
}
