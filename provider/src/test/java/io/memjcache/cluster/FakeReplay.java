package io.memjcache.cluster;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What a replay starts from: two clients ({@link Cluster}, {@link ReplicatedItemStore}) on three
 * {@link FakeNode}s, and the lead, backup and stand-in of the key the replay races on.
 */
abstract class FakeReplay {

  /** How long a write waits after a node went down; so also how long some replays take. */
  static final long OPERATION_TIMEOUT_MILLIS = 300;

  private final String key;
  FakeNodes nodes;
  Cluster client;
  ReplicatedItemStore store;
  Cluster other;
  ReplicatedItemStore otherStore;
  FakeNode lead;
  FakeNode backup;
  FakeNode standIn;

  FakeReplay(String key) {
    this.key = key;
  }

  @BeforeEach
  void startClients() {
    nodes = new FakeNodes(3, OPERATION_TIMEOUT_MILLIS);
    client = nodes.client();
    store = new ReplicatedItemStore(client);
    other = nodes.client();
    otherStore = new ReplicatedItemStore(other);
    List<Node> replicas = client.routing().replicas(key);
    lead = nodes.fake(replicas.get(0));
    backup = nodes.fake(replicas.get(1));
    standIn = nodes.standInOf(key, client);
  }

  @AfterEach
  void stopClients() {
    nodes.close();
  }
}
