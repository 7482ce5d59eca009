package io.memjcache.testkit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kills every memcached this JVM started when the JVM exits, also after a failed test or Ctrl-C.
 *
 * <p>A JVM killed with SIGKILL runs no hooks; its servers are then left behind and must be killed by
 * hand ({@code pkill -f 'memcached -l 127.0.0.1'}).
 */
final class ProcessReaper {

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::killAll, "memcached-reaper"));
  }

  private ProcessReaper() {}

  static void register(Process process) {
    LIVE.add(process);
    process.onExit().thenRun(() -> LIVE.remove(process));
  }

  private static void killAll() {
    for (Process process : LIVE) {
      try {
        // a stopped process ignores SIGTERM until continued, so SIGKILL is the only sure end
        process.destroyForcibly();
      } catch (RuntimeException ignored) {
        // the process is exiting anyway
      }
    }
  }
}
