package io.memjcache.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Queue;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.event.EventRecordingLogger;
import org.slf4j.event.Level;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.SubstituteLogger;

/** Each level reaches SLF4J at its counterpart, with the message and the throwable. */
class Slf4jSinkTest {

  @Test
  void eachLevelReachesItsSlf4jCounterpart() {
    Queue<SubstituteLoggingEvent> events = new ArrayDeque<>();
    Logger recording =
        new EventRecordingLogger(new SubstituteLogger("memjcache.test", events, false), events);
    Slf4jSink sink = new Slf4jSink(recording);
    Throwable cause = new IllegalStateException("boom");
    Level[] expected = {Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR};
    for (LogLevel level : LogLevel.values()) {
      assertTrue(sink.enabled(level));
      sink.publish(level, "at " + level, cause);
      SubstituteLoggingEvent event = events.remove();
      assertEquals(expected[level.ordinal()], event.getLevel());
      assertEquals("at " + level, event.getMessage());
      assertSame(cause, event.getThrowable());
    }
  }
}
