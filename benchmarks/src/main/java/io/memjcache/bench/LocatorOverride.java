package io.memjcache.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import net.spy.memcached.ConnectionFactory;
import net.spy.memcached.ConnectionObserver;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedConnection;
import net.spy.memcached.MemcachedNode;
import net.spy.memcached.NodeLocator;
import net.spy.memcached.OperationFactory;
import net.spy.memcached.auth.AuthDescriptor;
import net.spy.memcached.metrics.MetricCollector;
import net.spy.memcached.metrics.MetricType;
import net.spy.memcached.ops.Operation;
import net.spy.memcached.transcoders.Transcoder;

/**
 * A {@link ConnectionFactory} that is the one {@code ConnectionFactoryBuilder} built except for the
 * node locator. The connection is created here, not by the delegate, so that it asks this factory
 * (and so {@link #createLocator}) for its locator.
 */
abstract class LocatorOverride implements ConnectionFactory {

  private final ConnectionFactory delegate;

  LocatorOverride(ConnectionFactory delegate) {
    this.delegate = delegate;
  }

  @Override
  public abstract NodeLocator createLocator(List<MemcachedNode> nodes);

  @Override
  public MemcachedConnection createConnection(List<InetSocketAddress> addrs) throws IOException {
    return new MemcachedConnection(getReadBufSize(), this, addrs, getInitialObservers(),
        getFailureMode(), getOperationFactory());
  }

  @Override
  public MemcachedNode createMemcachedNode(SocketAddress sa, SocketChannel c, int bufSize) {
    return delegate.createMemcachedNode(sa, c, bufSize);
  }

  @Override
  public BlockingQueue<Operation> createOperationQueue() {
    return delegate.createOperationQueue();
  }

  @Override
  public BlockingQueue<Operation> createReadOperationQueue() {
    return delegate.createReadOperationQueue();
  }

  @Override
  public BlockingQueue<Operation> createWriteOperationQueue() {
    return delegate.createWriteOperationQueue();
  }

  @Override
  public long getOpQueueMaxBlockTime() {
    return delegate.getOpQueueMaxBlockTime();
  }

  @Override
  public ExecutorService getListenerExecutorService() {
    return delegate.getListenerExecutorService();
  }

  @Override
  public boolean isDefaultExecutorService() {
    return delegate.isDefaultExecutorService();
  }

  @Override
  public OperationFactory getOperationFactory() {
    return delegate.getOperationFactory();
  }

  @Override
  public long getOperationTimeout() {
    return delegate.getOperationTimeout();
  }

  @Override
  public boolean isDaemon() {
    return delegate.isDaemon();
  }

  @Override
  public boolean useNagleAlgorithm() {
    return delegate.useNagleAlgorithm();
  }

  @Override
  public Collection<ConnectionObserver> getInitialObservers() {
    return delegate.getInitialObservers();
  }

  @Override
  public FailureMode getFailureMode() {
    return delegate.getFailureMode();
  }

  @Override
  public Transcoder<Object> getDefaultTranscoder() {
    return delegate.getDefaultTranscoder();
  }

  @Override
  public boolean shouldOptimize() {
    return delegate.shouldOptimize();
  }

  @Override
  public int getReadBufSize() {
    return delegate.getReadBufSize();
  }

  @Override
  public net.spy.memcached.HashAlgorithm getHashAlg() {
    return delegate.getHashAlg();
  }

  @Override
  public long getMaxReconnectDelay() {
    return delegate.getMaxReconnectDelay();
  }

  @Override
  public AuthDescriptor getAuthDescriptor() {
    return delegate.getAuthDescriptor();
  }

  @Override
  public int getTimeoutExceptionThreshold() {
    return delegate.getTimeoutExceptionThreshold();
  }

  @Override
  public MetricType enableMetrics() {
    return delegate.enableMetrics();
  }

  @Override
  public MetricCollector getMetricCollector() {
    return delegate.getMetricCollector();
  }

  @Override
  public long getAuthWaitTime() {
    return delegate.getAuthWaitTime();
  }
}
