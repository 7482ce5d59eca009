package io.memjcache.cluster;

import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * A {@link KeyListing} over the nodes one after the other: a node's dump is opened when the keys
 * before it have been taken, so one crawl runs for the listing at a time, at most one node ahead of
 * the caller, holding at most {@link NodeKeyDump#CAPACITY} keys. A node with more keys than that is
 * listed in passes:
 *
 * <ul>
 *   <li>{@link KeyListing.Coverage#EVERY_COPY}: each pass starts over; the keys taken were deleted
 *       meanwhile, so each pass finds the ones left.
 *   <li>{@link KeyListing.Coverage#EACH_KEY_ONCE}: the node's keys are counted first, then split
 *       by a hash of the key into enough partitions to fill each pass half: a pass lists one
 *       partition, whatever order memcached walks its hash table in (it changes while the table
 *       grows), so no key comes twice. A partition that more than doubled meanwhile loses what
 *       finds no room, with a warning.
 * </ul>
 *
 * A node that fails while listed is reported and skipped, as before the listing streamed: its keys
 * are on the other replicas.
 */
final class NodeByNodeListing implements KeyListing {

  private static final System.Logger LOG = Loggers.of(NodeByNodeListing.class);

  private final Iterator<Node> nodes;
  private final String prefix;
  private final boolean partitioned;
  private final LongAdder listed;
  private final BiPredicate<Node, String> wanted;
  private final BiConsumer<Node, NodeUnavailableException> failed;
  private Node node;
  private NodeKeyDump dump;
  private int pass;
  private long passes;
  private String ready;
  private boolean closed;

  NodeByNodeListing(List<Node> nodes, String prefix, KeyListing.Coverage coverage,
      LongAdder listed, BiPredicate<Node, String> wanted,
      BiConsumer<Node, NodeUnavailableException> failed) {
    this.nodes = nodes.iterator();
    this.prefix = prefix;
    this.partitioned = coverage == KeyListing.Coverage.EACH_KEY_ONCE;
    this.listed = listed;
    this.wanted = wanted;
    this.failed = failed;
  }

  @Override
  public boolean hasNext() {
    while (ready == null && !closed) {
      if (dump == null && !openNext()) {
        closed = true;
      } else if (dump != null) {
        ready = takeFromDump();
      }
    }
    return ready != null;
  }

  @Override
  public String next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    String key = ready;
    ready = null;
    return key;
  }

  @Override
  public void close() {
    closed = true;
    if (dump != null) {
      dump.close();
      dump = null;
    }
  }

  /** Opens the next node's first pass; false when no node is left. */
  private boolean openNext() {
    if (!nodes.hasNext()) {
      return false;
    }
    node = nodes.next();
    pass = 0;
    passes = Long.MAX_VALUE; // unpartitioned: bounded once the first pass has counted
    try {
      if (partitioned) {
        passes = 1 + node.dumpKeys(wantedHere(), 1, listed).count() / (NodeKeyDump.CAPACITY / 2);
      }
      openPass();
    } catch (NodeUnavailableException e) {
      failed.accept(node, e);
    }
    return true;
  }

  private void openPass() {
    dump = node.dumpKeys(inPass(), NodeKeyDump.CAPACITY, listed);
  }

  private Predicate<String> wantedHere() {
    Node listedNode = node;
    return key -> key.startsWith(prefix) && wanted.test(listedNode, key);
  }

  /** The keys of the current pass: all the node's, or one partition of them. */
  private Predicate<String> inPass() {
    if (!partitioned || passes == 1) {
      return wantedHere();
    }
    long partition = pass;
    long partitions = passes;
    return wantedHere().and(key -> Math.floorMod(key.hashCode(), partitions) == partition);
  }

  /**
   * The dump's next key, or null when the pass ended or failed; then the next pass is opened, if the
   * node needs one. Unpartitioned, passes go on while keys found no room, at most as many as the
   * first pass's count foresaw plus one (a node written to meanwhile could otherwise keep the
   * listing going).
   */
  private String takeFromDump() {
    try {
      String key = dump.next();
      if (key != null) {
        return key;
      }
    } catch (NodeUnavailableException e) {
      failed.accept(node, e);
      dump.close();
      dump = null;
      return null;
    }
    dump.close();
    long dropped = dump.dropped();
    if (partitioned && dropped > 0) {
      LOG.log(Level.WARNING, () -> "memjcache: iteration skipped " + dropped + " keys on memcached " + node.server()
          + ": the cache grew more than twofold while it was being listed");
    }
    if (pass == 0 && !partitioned) {
      passes = 2 + (dump.queued() + dropped) / NodeKeyDump.CAPACITY;
    }
    dump = null;
    pass++;
    if (partitioned ? pass < passes : dropped > 0 && pass < passes) {
      try {
        openPass();
      } catch (NodeUnavailableException e) {
        failed.accept(node, e);
      }
    }
    return null;
  }
}
