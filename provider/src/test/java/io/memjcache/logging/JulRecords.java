package io.memjcache.logging;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what reaches one {@code java.util.logging} logger, until closed. */
final class JulRecords extends Handler implements AutoCloseable {

  final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Logger logger;

  JulRecords(String name, Level level) {
    this.logger = Logger.getLogger(name);
    logger.setUseParentHandlers(false);
    logger.setLevel(level);
    logger.addHandler(this);
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
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
