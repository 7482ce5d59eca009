package io.memjcache.tck;

import io.memjcache.config.Settings;
import io.memjcache.testkit.MemcachedCluster;
import org.junit.runner.Description;
import org.junit.runner.Result;
import org.junit.runner.notification.RunListener;

/**
 * Starts the real memcached cluster the TCK runs against before the first test and stops it after
 * the last (the testkit's shutdown hook stops it also when the run dies). The provider finds it
 * through the {@code memjcache.servers} system property, as any application could.
 */
public final class TckCluster extends RunListener {

  static final int NODES = 3;
  static final int COPIES = 2;

  private MemcachedCluster cluster;

  @Override
  public void testRunStarted(Description description) {
    cluster = MemcachedCluster.start(NODES);
    System.setProperty(Settings.SERVERS, cluster.servers());
    System.setProperty(Settings.COPIES, Integer.toString(COPIES));
    System.out.println("TCK cluster: " + cluster + ", " + COPIES + " copies of each entry");
  }

  @Override
  public void testRunFinished(Result result) {
    if (cluster != null) {
      cluster.close();
    }
  }
}
