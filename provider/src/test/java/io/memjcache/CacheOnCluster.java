package io.memjcache;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.MemcachedClusterExtension;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The setup of the bad-input tests, for one test class: a real 2-node cluster, a manager on it
 * ({@link Fixtures#manager}, its own provider) and its cache {@code "c"} of Objects; the manager is
 * closed before the servers stop, also when a test failed. Register it as a static field:
 * {@code @RegisterExtension static final CacheOnCluster on = new CacheOnCluster("some:uri");}
 */
final class CacheOnCluster implements BeforeAllCallback, AfterAllCallback {

  private final MemcachedClusterExtension nodes = new MemcachedClusterExtension(2);
  private final String uri;
  private MemcachedCacheManager manager;
  private Cache<Object, Object> cache;

  CacheOnCluster(String uri) {
    this.uri = uri;
  }

  MemcachedCluster cluster() {
    return nodes.cluster();
  }

  MemcachedCacheManager manager() {
    return manager;
  }

  Cache<Object, Object> cache() {
    return cache;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    nodes.beforeAll(context);
    manager = Fixtures.manager(nodes.cluster(), uri);
    cache = manager.createCache("c", new MutableConfiguration<>());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    // the cluster closes the manager's provider first (MemcachedCluster#closeFirst)
    nodes.afterAll(context);
  }
}
