package io.memjcache.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link MemcachedCluster} for one test class: started before its first test, stopped after its
 * last, also when a test failed. Register it as a static field:
 * {@code @RegisterExtension static final MemcachedClusterExtension nodes = new MemcachedClusterExtension(2);}
 */
public final class MemcachedClusterExtension implements BeforeAllCallback, AfterAllCallback {

  private final int size;
  private MemcachedCluster cluster;

  /** A cluster of {@code size} nodes with {@link MemcachedCluster#DEFAULT_ARGS}. */
  public MemcachedClusterExtension(int size) {
    this.size = size;
  }

  /** The running cluster. */
  public MemcachedCluster cluster() {
    if (cluster == null) {
      throw new IllegalStateException("no cluster: register this as a static @RegisterExtension field");
    }
    return cluster;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster = MemcachedCluster.start(size);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }
}
