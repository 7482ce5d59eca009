package io.memjcache.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.spy.memcached.internal.BulkFuture;
import net.spy.memcached.internal.OperationFuture;

/** One copy of each item, on its ketama primary. */
public final class ShardedItemStore implements ItemStore {

  private final Cluster cluster;

  public ShardedItemStore(Cluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public StoredItem get(String key) {
    return cluster.primaryNode(key).get(key);
  }

  @Override
  public StoredItem gets(String key) {
    return cluster.primaryNode(key).gets(key);
  }

  @Override
  public StoredItem getAndTouch(String key, int exptime) {
    return cluster.primaryNode(key).getAndTouch(key, exptime);
  }

  @Override
  public Map<String, StoredItem> getAll(Collection<String> keys) {
    Map<NodeClient, BulkFuture<Map<String, StoredItem>>> pending = new LinkedHashMap<>();
    groupByNode(keys).forEach((node, nodeKeys) -> pending.put(node, node.getAllAsync(nodeKeys)));
    Map<String, StoredItem> found = new HashMap<>();
    pending.forEach((node, future) -> found.putAll(node.awaitAll(future)));
    return found;
  }

  @Override
  public void set(String key, int exptime, byte[] bytes) {
    NodeClient node = cluster.primaryNode(key);
    node.awaitSet(node.setAsync(key, exptime, bytes));
  }

  @Override
  public void setAll(List<ItemWrite> writes) {
    List<Map.Entry<NodeClient, OperationFuture<Boolean>>> pending = new ArrayList<>(writes.size());
    for (ItemWrite write : writes) {
      NodeClient node = cluster.primaryNode(write.key());
      pending.add(Map.entry(node, node.setAsync(write.key(), write.exptime(), write.bytes())));
    }
    for (Map.Entry<NodeClient, OperationFuture<Boolean>> p : pending) {
      p.getKey().awaitSet(p.getValue());
    }
  }

  @Override
  public WriteOutcome add(String key, int exptime, byte[] bytes) {
    return cluster.primaryNode(key).add(key, exptime, bytes);
  }

  @Override
  public WriteOutcome cas(String key, long cas, int exptime, byte[] bytes) {
    return cluster.primaryNode(key).cas(key, cas, exptime, bytes);
  }

  @Override
  public boolean delete(String key) {
    NodeClient node = cluster.primaryNode(key);
    return node.awaitDelete(node.deleteAsync(key));
  }

  @Override
  public void deleteAll(Collection<String> keys) {
    List<Map.Entry<NodeClient, OperationFuture<Boolean>>> pending = new ArrayList<>(keys.size());
    for (String key : keys) {
      NodeClient node = cluster.primaryNode(key);
      pending.add(Map.entry(node, node.deleteAsync(key)));
    }
    for (Map.Entry<NodeClient, OperationFuture<Boolean>> p : pending) {
      p.getKey().awaitDelete(p.getValue());
    }
  }

  @Override
  public WriteOutcome delete(String key, long cas) {
    return cluster.primaryNode(key).delete(key, cas);
  }

  @Override
  public boolean touch(String key, int exptime) {
    return cluster.primaryNode(key).touch(key, exptime);
  }

  @Override
  public List<String> keys(String prefix) {
    List<String> keys = new ArrayList<>();
    for (NodeClient node : cluster.nodes()) {
      keys.addAll(node.keys(prefix));
    }
    return keys;
  }

  private Map<NodeClient, List<String>> groupByNode(Collection<String> keys) {
    Map<NodeClient, List<String>> byNode = new LinkedHashMap<>();
    for (String key : keys) {
      byNode.computeIfAbsent(cluster.primaryNode(key), n -> new ArrayList<>()).add(key);
    }
    return byNode;
  }
}
