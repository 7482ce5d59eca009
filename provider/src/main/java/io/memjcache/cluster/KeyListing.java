package io.memjcache.cluster;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys of one cache, handed out while the nodes are still being listed. Memory stays bounded: a
 * listing never holds more than one node's pass of keys, never the whole list. A listing no longer
 * read lists no further node; {@link #close} ends the node's crawl at once.
 */
public interface KeyListing extends Iterator<String>, AutoCloseable {

  /** Which copies of a key a listing hands out when a key lives on several nodes. */
  enum Coverage {
    /**
     * Each key once, from the replica a read asks first. A key only a later replica holds (its first
     * one returned empty and is being repaired) can be missed: enough for iteration.
     */
    EACH_KEY_ONCE,
    /**
     * Every key on every node that holds it, for callers that delete what they take: a key on two
     * nodes comes twice unless it was deleted before the second node is listed (nodes are listed
     * one after the other), and a node with more keys than one pass holds is listed again from its
     * start. Nothing a replica holds is missed.
     */
    EVERY_COPY
  }

  /** Stops listing; idempotent. */
  @Override
  void close();

  /**
   * Returns up to {@code max} next keys, each once, an empty list once the listing is done. A chunk
   * can span two nodes, and the second one lists the keys of the first again while they are not yet
   * deleted: a key deleted twice in one pipelined batch would count as not found the second time.
   */
  default List<String> next(int max) {
    Set<String> keys = new LinkedHashSet<>();
    while (keys.size() < max && hasNext()) {
      keys.add(next());
    }
    return new ArrayList<>(keys);
  }
}
