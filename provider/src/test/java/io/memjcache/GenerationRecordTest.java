package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class GenerationRecordTest {

  @Test
  void aRecordReadsBackAsWritten() {
    GenerationRecord r = new GenerationRecord(1_764_560_000_123L, 1_764_550_000_000L, 1_764_560_001_000L);
    assertEquals(r, GenerationRecord.parse(r.format()));
    assertEquals("v1 5 5 0", GenerationRecord.fresh(5).format());
  }

  @Test
  void aClearMovesToAGenerationAfterBothTheOldOneAndTheClock() {
    GenerationRecord r = new GenerationRecord(1_000, 900, 0);
    assertEquals(new GenerationRecord(2_000, 1_000, 2_500), r.clearedAt(2_000, 2_500));
    // a client whose clock is behind still moves forward
    assertEquals(new GenerationRecord(1_001, 1_000, 1_500), r.clearedAt(500, 1_500));
  }

  @Test
  void anythingElseAStrangerStoredThereIsNoRecord() {
    for (String text : new String[] {"", "v1", "v1 5 5", "v1 5 5 0 0", "v2 5 5 0", "v1 5 6 0", "v1 0 0 0",
        "v1 -5 -5 0", "v1 5 5 -1", "v1 5 5 x", "v1  5 5 0", "v1 99999999999999999999 5 0",
        "v1 5 5 0" + " ".repeat(100)}) {
      assertNull(GenerationRecord.parse(text), "\"" + text + "\"");
    }
  }
}
