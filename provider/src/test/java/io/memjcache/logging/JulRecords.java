package io.memjcache.logging;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what reaches one {@code java.util.logging} logger, until closed. The provider's records
 * reach it through either backend (slf4j-jdk14 is the SLF4J binding of the tests).
 */
public final class JulRecords extends Handler implements AutoCloseable {

  public final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Logger logger;
  private RuntimeException thenThrow;

  public JulRecords(String name, Level level) {
    this.logger = Logger.getLogger(name);
    logger.setUseParentHandlers(false);
    logger.setLevel(level);
    logger.addHandler(this);
  }

  /**
   * Makes every logging call end with {@code e} once its record is collected: it stops the code
   * under test right where it logs (before it goes on to connect somewhere, say).
   */
  public JulRecords thenThrowing(RuntimeException e) {
    this.thenThrow = e;
    return this;
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
    if (thenThrow != null) {
      throw thenThrow;
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setUseParentHandlers(true);
    logger.setLevel(null);
  }
}
