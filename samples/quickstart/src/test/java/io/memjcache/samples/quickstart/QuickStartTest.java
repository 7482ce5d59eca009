package io.memjcache.samples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testkit.MemcachedCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class QuickStartTest {

  @Test
  void demoShowsShardingLoadingExpiryEventsStatisticsAndFailover() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    QuickStart.Result result;
    try (MemcachedCluster cluster = MemcachedCluster.start(3)) {
      result = QuickStart.run(cluster, new PrintStream(printed, true));
    }
    assertEquals(3, result.entriesPerNode().size());
    result.entriesPerNode().values().forEach(n -> assertTrue(n > 0, "every node holds entries"));
    assertEquals(2 * QuickStart.ENTRIES, result.entriesPerNode().values().stream().mapToInt(i -> i).sum(),
        "2 copies of each entry, nothing else: " + result.entriesPerNode());
    assertEquals("loaded for user-loaded", result.loaded());
    assertTrue(result.presentBeforeExpiry());
    assertFalse(result.presentAfterExpiry());
    assertEquals(QuickStart.ENTRIES + 1, result.createdEvents(), "30 puts and 1 load create entries");
    assertEquals(5, result.counter());
    assertEquals(1, result.statistics().getCacheMisses());
    assertEquals(QuickStart.ENTRIES, result.statistics().getCachePuts());
    assertEquals(QuickStart.ENTRIES, result.readableAfterKill(), "every entry survives one dead node");
    assertTrue(result.nodeStatesAfterKill().containsValue("DOWN"));
    assertTrue(printed.toString().contains("entries readable"));
  }
}
