package io.memjcache.cluster;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The server list the clients of a memcached node use, left on every node they use and refreshed by
 * each of them once per membership pass (see {@link ServerListCheck}). Two lists place keys
 * differently: a client on the other list reads and writes other replicas, and brings back what
 * this one deleted.
 *
 * @param servers the list, in the form {@link #of} makes
 * @param refreshMillis how often its clients refresh it: it is abandoned when none did for long
 * @param atMillis when it was last refreshed
 */
record ServerListRecord(String servers, long refreshMillis, long atMillis) {

  /** The item on each node; not an entry key (see KeyCodec.isEntryKey). */
  static final String KEY = "memjcache:membership:servers";
  /** Where clients on another list say that they wait for this one's to stop. */
  static final String WAITING_KEY = "memjcache:membership:servers-waiting";

  private static final String FORMAT = "memjcache-servers-v1";
  /** Bounds what a record may claim: nobody refreshes less often than this. */
  static final long MAX_REFRESH_MILLIS = 600_000;
  private static final int MAX_BYTES = 16_384;

  /**
   * The list as placement sees it, as {@code memjcache.servers} names it: main servers in order,
   * each {@code host:port} with {@code :weight} unless 1, then any backup servers.
   */
  static String of(List<ServerAddress> servers, List<ServerAddress> backupServers) {
    String text = names(servers);
    return backupServers.isEmpty() ? text : text + " backup " + names(backupServers);
  }

  private static String names(List<ServerAddress> servers) {
    return servers.stream().map(s -> s.weight() == 1 ? s.toString() : s + ":" + s.weight())
        .collect(Collectors.joining(","));
  }

  /** Returns if no client has refreshed it for long enough to be taken for gone at {@code nowMillis}. */
  boolean abandonedAt(long nowMillis, long graceMillis) {
    return nowMillis - atMillis > 3 * refreshMillis + graceMillis;
  }

  /** The record's bytes, signed with the secret if one is set (see {@link SignedText}). */
  byte[] encode(RecordSigner auth) {
    return SignedText.sign(FORMAT + " " + refreshMillis + " " + atMillis + " " + servers, auth);
  }

  /** Returns the record, or null if the bytes are not one, or not signed when a secret is set. */
  static ServerListRecord decode(byte[] bytes, RecordSigner auth) {
    if (bytes == null || bytes.length > MAX_BYTES) {
      return null;
    }
    String text = SignedText.open(bytes, auth);
    if (text == null) {
      return null;
    }
    String[] parts = text.split(" ", 4);
    if (parts.length != 4 || !parts[0].equals(FORMAT)) {
      return null;
    }
    try {
      long refresh = Long.parseLong(parts[1]);
      return refresh < 1 || refresh > MAX_REFRESH_MILLIS
          ? null : new ServerListRecord(parts[3], refresh, Long.parseLong(parts[2]));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
