package io.memjcache.cluster;

import java.lang.System.Logger.Level;


/**
 * Tells whether every client of these memcached nodes uses this client's server list, and refuses
 * operations while another list is in use: two lists place keys on different replicas, so a client
 * on one reads values the other has overwritten and brings back what it deleted (a scale-out or a
 * rolling deploy with clients on both lists).
 *
 * <p>Each client leaves its list on every node it reaches ({@link ServerListRecord}) and refreshes
 * it once per membership pass. A node carrying another list that some client refreshed lately puts
 * this client in conflict: every operation is refused, naming both lists, until the other list's
 * clients are gone and their record was left unrefreshed for three of their refresh intervals; then
 * this client writes its own list there (CAS: of two clients, one wins). A client already in use
 * never gives way to a newcomer: the newcomer refuses until the old clients stop, and says that it
 * waits in a second item on those nodes, so that the clients in use can report it too.
 *
 * <p>Assumes the clients' clocks agree within an operation timeout, as the membership switch does.
 */
final class ServerListCheck {

  private static final System.Logger LOG = Loggers.of(ServerListCheck.class);

  private final Cluster cluster;
  private final NodeRecords records;
  private final String servers;
  /** Why operations are refused now, or null when every node reached carries this list. */
  private volatile String conflict;
  /** Another list whose clients wait for this one's to stop, or null. */
  private volatile String waiting;
  private volatile long checkedAtNanos;

  ServerListCheck(Cluster cluster) {
    this.cluster = cluster;
    this.records = cluster.records();
    this.servers = ServerListRecord.of(cluster.settings().servers(), cluster.settings().backupServers());
  }

  /** Reads (and refreshes) the list on every node it reaches; a node it cannot reach is skipped. */
  synchronized void check() {
    String found = null;
    String waits = null;
    for (Node node : cluster.nodes()) {
      try {
        long now = System.currentTimeMillis();
        ServerListRecord mine = new ServerListRecord(servers, cluster.settings().retryIntervalMillis(), now);
        String other = checkOn(node, mine);
        if (other != null) {
          records.setServerList(node, ServerListRecord.WAITING_KEY, mine, waitSeconds());
          if (found == null) {
            found = "memcached " + node.server() + " carries the server list of other clients in use ["
                + other + "]; this client has [" + servers + "]";
          }
        } else if (waits == null) {
          waits = waitingOn(node, now);
        }
      } catch (RuntimeException e) {
        LOG.log(Level.DEBUG, "server list check of memcached " + node.server() + " failed", e);
      }
    }
    report(found);
    reportWaiting(waits);
    checkedAtNanos = System.nanoTime();
  }

  /** Checks unless the last check is less than half a retry interval old (the one at start). */
  void checkIfDue() {
    long sinceMillis = (System.nanoTime() - checkedAtNanos) / 1_000_000;
    if (sinceMillis >= cluster.settings().retryIntervalMillis() / 2) {
      check();
    }
  }

  /** Throws while another server list is in use (see the class comment). */
  void requireAgreement() {
    String why = conflict;
    if (why != null) {
      throw new NodeUnavailableException("clients disagree on memjcache.servers, so this one refuses"
          + " every operation until they agree: " + why + ". Stop the clients on one of the lists; the"
          + " others go on within a few of their retry intervals", NodeUnavailableException.Kind.REFUSED_HERE, null);
    }
  }

  /** Returns the conflict as {@link #requireAgreement} reports it, or null. */
  String conflict() {
    return conflict;
  }

  /** Returns the list of clients that wait for this one's to stop, or null. */
  String waiting() {
    return waiting;
  }

  /** Returns the other list a node carries and a client refreshed lately, or null if none. */
  private String checkOn(Node node, ServerListRecord mine) {
    long now = mine.atMillis();
    StoredItem item = node.gets(ServerListRecord.KEY);
    if (item == null) {
      records.addServerList(node, mine);
      return null;
    }
    ServerListRecord record = records.serverListIn(item);
    if (record == null || record.servers().equals(servers)) {
      // a forged or foreign-secret record is not obeyed: a client with the secret wrote none
      records.replaceServerList(node, item, mine);
      return null;
    }
    if (record.abandonedAt(now, cluster.settings().operationTimeoutMillis())) {
      if (records.replaceServerList(node, item, mine)) {
        LOG.log(Level.INFO, () -> "memcached " + node.server() + " now carries this client's server list [" + servers
            + "], in place of [" + record.servers() + "], which no client refreshed lately");
        cluster.serverListChangedOn(node);
      }
      return null;
    }
    return record.servers();
  }

  /** Returns another list whose clients said lately on {@code node} that they wait, or null. */
  private String waitingOn(Node node, long now) {
    ServerListRecord record = records.serverListIn(node.get(ServerListRecord.WAITING_KEY));
    boolean waits = record != null && !record.servers().equals(servers)
        && !record.abandonedAt(now, cluster.settings().operationTimeoutMillis());
    return waits ? record.servers() : null;
  }

  /** How long a waiting client's item outlives its last refresh: as long as its record would. */
  private int waitSeconds() {
    long millis = 3 * cluster.settings().retryIntervalMillis() + cluster.settings().operationTimeoutMillis();
    return (int) Math.min(Integer.MAX_VALUE, millis / 1000 + 1);
  }

  private void reportWaiting(String found) {
    String before = waiting;
    waiting = found;
    if (found != null && !found.equals(before)) {
      LOG.log(Level.WARNING, () -> "clients on another server list [" + found + "] refuse every operation until"
          + " every client on this one [" + servers + "] stops (memjcache.servers differs)");
    }
  }

  private void report(String found) {
    String before = conflict;
    conflict = found;
    if (found != null && !found.equals(before)) {
      LOG.log(Level.WARNING, () -> "clients disagree on memjcache.servers; operations are refused: " + found);
    } else if (found == null && before != null) {
      LOG.log(Level.INFO, () -> "every node now carries this client's server list; operations go on");
    }
  }
}
