package io.memjcache.samples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.RealMemcached;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs the quick start against a real 3-node memcached cluster and checks what it shows. */
@RealMemcached
class QuickStartTest {

  @Test
  void demoShowsShardingLoadingEventsInvokeExpiryStatisticsAndFailover() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    QuickStart.Result result;
    try (MemcachedCluster cluster = MemcachedCluster.start(3)) {
      result = QuickStart.run(cluster, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }
    String output = printed.toString(StandardCharsets.UTF_8);

    // spread over all 3 nodes, COPIES items per entry and nothing else
    assertEquals(3, result.itemsPerNode().size(), output);
    result.itemsPerNode().forEach((node, n) -> assertTrue(n > 0, node + " holds no entry: " + output));
    assertEquals(QuickStart.COPIES * QuickStart.ENTRIES,
        result.itemsPerNode().values().stream().mapToInt(Integer::intValue).sum(), output);

    assertEquals("loaded for user-loaded", result.loaded(), "read-through");
    assertEquals(QuickStart.ENTRIES + 1, result.createdEvents(), "CREATED events: the puts and the load");
    assertEquals(5, result.counter(), "invoke counter");
    assertTrue(result.presentBeforeExpiry(), "the 500 ms entry is there at once");
    assertFalse(result.presentAfterExpiry(), "the 500 ms entry is gone after 600 ms");

    // 1 read-through miss, then every entry read once
    assertEquals(new QuickStart.Statistics(QuickStart.ENTRIES + 1, QuickStart.ENTRIES, 1, QuickStart.ENTRIES),
        result.statistics());

    assertEquals(QuickStart.ENTRIES, result.readableAfterKill(), "every entry survives one dead node");
    assertEquals("DOWN", result.nodeStatesAfterKill().get(result.killedNode()), output);
    assertEquals(2, result.nodeStatesAfterKill().values().stream().filter("UP"::equals).count(), output);

    assertTrue(output.lines().count() <= 25, "short output:\n" + output);
  }
}
