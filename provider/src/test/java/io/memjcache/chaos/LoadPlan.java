package io.memjcache.chaos;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What every {@link LoadClient} of one run does, passed to each client JVM on its command line:
 * the servers, how many clients and threads, the keys they use and for how long they run. The
 * servers are one list for every client, or one per client separated by {@code ;} (the last one for
 * the clients after it), as while a server list changes.
 *
 * <p>Keys: counters {@code c0..c<n-1>}, incremented by every thread of every client; registers
 * {@code r<client>.<thread>.<i>}, written and deleted only by that thread of that client and read by
 * everyone. Times in the logs count from {@code epochMillis}, one wall clock for all JVMs of the run.
 */
record LoadPlan(String servers, int clients, int threads, int registersPerThread, int counters,
    long durationMillis, long epochMillis) {

  /**
   * The manager URI of client {@code client} (of a fresh client: the last list): its servers in the
   * authority, two copies of every entry, default timings, one namespace for every list.
   */
  URI uri(int client) {
    String[] lists = servers.split(";");
    return URI.create("memcached://" + lists[Math.min(client, lists.length - 1)] + "/?copies=2&namespace=chaos");
  }

  static String counterKey(int counter) {
    return "c" + counter;
  }

  static String registerKey(int client, int thread, int index) {
    return "r" + client + "." + thread + "." + index;
  }

  List<String> counterKeys() {
    List<String> keys = new ArrayList<>();
    for (int c = 0; c < counters; c++) {
      keys.add(counterKey(c));
    }
    return keys;
  }

  List<String> registerKeys() {
    List<String> keys = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      for (int t = 0; t < threads; t++) {
        for (int i = 0; i < registersPerThread; i++) {
          keys.add(registerKey(c, t, i));
        }
      }
    }
    return keys;
  }

  List<String> toArgs() {
    return List.of(servers, Integer.toString(clients), Integer.toString(threads),
        Integer.toString(registersPerThread), Integer.toString(counters), Long.toString(durationMillis),
        Long.toString(epochMillis));
  }

  /** Parses {@link #toArgs()} from {@code args[from..]}. */
  static LoadPlan parse(String[] args, int from) {
    if (args.length != from + 7) {
      throw new IllegalArgumentException("expected " + (from + 7) + " arguments, got " + List.of(args));
    }
    return new LoadPlan(args[from], Integer.parseInt(args[from + 1]), Integer.parseInt(args[from + 2]),
        Integer.parseInt(args[from + 3]), Integer.parseInt(args[from + 4]), Long.parseLong(args[from + 5]),
        Long.parseLong(args[from + 6]));
  }
}
