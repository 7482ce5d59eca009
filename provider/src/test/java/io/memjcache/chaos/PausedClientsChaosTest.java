package io.memjcache.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testkit.MemcachedProcess;
import io.memjcache.testkit.RealMemcached;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN invariant 3 when no node has to fail (issue 11): a client paused by a long GC, a whole
 * machine stalled, a client that learns of a rejoin late, and a rolling restart gated on the
 * cluster's "fully replicated" signal must not lose an acknowledged write, serve a value older than
 * one, or bring back a deleted one. A timeout is a suspicion, not evidence.
 *
 * <p>Each scenario runs on a fresh 3-node cluster ({@code copies=2}, default timings: 500 ms
 * operation timeout, 1000 ms retry interval, failure threshold 1) with two client JVMs
 * ({@link LoadClient}, 4 threads each) under a bounded load: {@code invoke} increments of 8 shared
 * counters, single-writer registers written and deleted by their owner and read by everyone. Clients
 * are paused with SIGSTOP and resumed with SIGCONT; each logs every operation, and after both
 * exited on their own the logs and a fresh client's reads of every key are judged
 * ({@link CounterAudit}, {@link RegisterAudit}). Asserted per scenario: no lost, extra or duplicate
 * increment result, no counter going back, no stale, resurrected or phantom read, and every key
 * reads its last acknowledged state through a fresh client. Exceptions are counted, not failures.
 *
 * <p>One scenario alone: {@code -Dtest='PausedClientsChaosTest#clientPausedTwoSeconds'}. Each
 * prints one summary line (acknowledged operations, exceptions, longest operation per client, the
 * counts) and a detail block; the clients' logs stay in {@code target/paused-clients/<scenario>/}.
 */
@RealMemcached
class PausedClientsChaosTest {

  /** Load before the first fault: every client has connected and written. */
  static final long WARMUP_MS = 1500;
  /**
   * Load after the last fault: about the 3.5 s switch delay (default timings) of a flush the fault
   * caused plus a probe interval, so writes run across the switch; the clients then wait for full
   * replication before they exit.
   */
  static final long AFTER_MS = 4500;
  /** A load stopped by the scenario rather than by its duration runs at most this long. */
  static final long OPEN_ENDED_MS = 60_000;
  /** A gate on the fully-replicated signal gives up after this. */
  static final long GATE_LIMIT_MS = 30_000;
  static final long STATUS_LIMIT_MS = 5_000;

  static final List<String> summaries = Collections.synchronizedList(new ArrayList<>());

  @AfterAll
  static void printSummaries() {
    System.out.println("paused-clients summary:");
    summaries.forEach(s -> System.out.println("  " + s));
  }

  /** The control: the same load with no pause and no fault, so every count must be 0 here first. */
  @Test
  void noPauseAtAll() throws Exception {
    try (PausableRun run = PausableRun.start("no-pause", WARMUP_MS + WARMUP_MS)) {
      judge(run);
    }
  }

  @Test
  void clientPausedSevenHundredMillis() throws Exception {
    pauseClientA("pause-A-0.7s", 700);
  }

  @Test
  void clientPausedTwoSeconds() throws Exception {
    pauseClientA("pause-A-2s", 2000);
  }

  @Test
  void clientPausedFiveSeconds() throws Exception {
    pauseClientA("pause-A-5s", 5000);
  }

  /** A stalled machine: both client JVMs freeze at once and resume together. */
  @Test
  void bothClientsPausedTogether() throws Exception {
    stallBothClients("pause-both-1.5s", false);
  }

  /** The whole machine stalls: the memcached servers freeze with the clients, and resume first. */
  @Test
  void wholeMachineStalled() throws Exception {
    stallBothClients("stall-machine-1.5s", true);
  }

  /**
   * Client B sleeps through a node's return: the node is killed and restarted empty, client A
   * flushes it, marks it and repairs it (A reports full replication, so the switch time has passed),
   * and only then B resumes, with writes in flight routed the old way, and keeps writing.
   */
  @Test
  void clientLearnsOfARejoinLate() throws Exception {
    try (PausableRun run = PausableRun.start("late-learner-B", OPEN_ENDED_MS)) {
      MemcachedProcess victim = run.cluster.node(0);
      PausableRun.sleep(WARMUP_MS);
      run.event("pause B");
      run.b().pause();
      PausableRun.sleep(300);
      run.event("kill -9 " + victim.address());
      victim.kill();
      PausableRun.sleep(500);
      victim.restartEmpty();
      run.event("restarted empty");
      PausableRun.sleep(500);
      awaitFullyReplicated(run, List.of(run.a()));
      run.event("A fully replicated");
      run.b().resume();
      run.event("resume B");
      PausableRun.sleep(AFTER_MS);
      run.a().stop();
      run.b().stop();
      judge(run);
    }
  }

  /**
   * An operator's rolling restart: every node in turn is killed and restarted empty on its port,
   * the next one only once every client reports full replication. Nothing may be lost.
   */
  @Test
  void rollingRestartGatedOnFullReplication() throws Exception {
    rollingRestart("rolling-restart", (run, step) -> List.of(run.a(), run.b()));
  }

  /**
   * The same, with the gate asked of one client per step, A, B, A: every client's signal must be
   * true only when every entry has its copies, whichever client flushed and repairs the node.
   */
  @Test
  void rollingRestartGatedOnOneClientEachStep() throws Exception {
    rollingRestart("rolling-restart-one-gate", (run, step) -> List.of(step % 2 == 0 ? run.a() : run.b()));
  }

  private static void rollingRestart(String scenario, BiFunction<PausableRun, Integer, List<ClientProcess>> gate)
      throws Exception {
    try (PausableRun run = PausableRun.start(scenario, OPEN_ENDED_MS)) {
      PausableRun.sleep(WARMUP_MS);
      for (int step = 0; step < PausableRun.NODES; step++) {
        MemcachedProcess node = run.cluster.node(step);
        node.restartEmpty();
        run.event("restarted " + node.address() + " empty");
        // the restart dropped every client's connections; give them a moment to see it, as an operator would
        PausableRun.sleep(500);
        List<ClientProcess> asked = gate.apply(run, step);
        awaitFullyReplicated(run, asked);
        run.event("fully replicated for " + asked.stream().map(ClientProcess::name).toList());
      }
      PausableRun.sleep(WARMUP_MS);
      run.a().stop();
      run.b().stop();
      judge(run);
    }
  }

  /**
   * A scale-out while a client still uses the old list (a rolling deploy): B starts on four nodes
   * while A runs on three of them. B must refuse every operation while A runs and take over once A
   * has stopped; nothing acknowledged is lost, nothing deleted comes back, no read is stale.
   */
  @Test
  void serverListChangedWhileAClientStillUsesTheOldOne() throws Exception {
    long takeOver = 3 * 1000 + 500 + 1000; // three of A's retry intervals, a timeout, B's next pass
    try (PausableRun run = PausableRun.start("server-list-change", WARMUP_MS + takeOver + AFTER_MS, 4,
        cluster -> cluster.nodes().subList(0, 3).stream().map(MemcachedProcess::address)
            .collect(Collectors.joining(",")) + ";" + cluster.servers())) {
      PausableRun.sleep(WARMUP_MS);
      run.event("stop A (the old list)");
      run.a().stop();
      RunVerdict verdict = judge(run);
      List<LoggedOp> b = verdict.byClient().get("B");
      long refused = b.stream().filter(op -> !op.acknowledged()).count();
      long acknowledged = b.stream().filter(LoggedOp::acknowledged).count();
      assertTrue(refused > 0, "B refused while A used the other list: " + verdict.errors());
      assertTrue(acknowledged >= RunVerdict.MIN_ACKNOWLEDGED, "B served once A was gone: " + acknowledged);
    }
  }

  private static void pauseClientA(String scenario, long pauseMs) throws Exception {
    try (PausableRun run = PausableRun.start(scenario, WARMUP_MS + pauseMs + AFTER_MS)) {
      PausableRun.sleep(WARMUP_MS);
      run.event("pause A");
      run.a().pause();
      PausableRun.sleep(pauseMs);
      run.a().resume();
      run.event("resume A");
      judge(run);
    }
  }

  private static void stallBothClients(String scenario, boolean servers) throws Exception {
    long stall = 1500;
    try (PausableRun run = PausableRun.start(scenario, WARMUP_MS + stall + AFTER_MS)) {
      PausableRun.sleep(WARMUP_MS);
      run.event(servers ? "pause A+B+servers" : "pause A+B");
      run.a().pause();
      run.b().pause();
      if (servers) {
        run.cluster.nodes().forEach(MemcachedProcess::hang);
      }
      PausableRun.sleep(stall);
      if (servers) {
        run.cluster.nodes().forEach(MemcachedProcess::resume);
      }
      run.a().resume();
      run.b().resume();
      run.event("resume");
      judge(run);
    }
  }

  /** Polls until every one of {@code clients} reports full replication; fails after the gate limit. */
  private static void awaitFullyReplicated(PausableRun run, List<ClientProcess> clients)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GATE_LIMIT_MS);
    while (!clients.stream().allMatch(c -> c.fullyReplicated(STATUS_LIMIT_MS))) {
      assertTrue(System.nanoTime() < deadline, run.scenario + ": not fully replicated within "
          + GATE_LIMIT_MS + " ms, events " + run.events());
      PausableRun.sleep(100);
    }
  }

  private static RunVerdict judge(PausableRun run) throws Exception {
    RunVerdict verdict = run.finish();
    String summary = verdict.summary();
    String details = verdict.details() + String.format("%n    events: %s", run.events());
    System.out.println(summary);
    System.out.println(details);
    summaries.add(summary);
    verdict.assertNothingBroken();
    return verdict;
  }
}
