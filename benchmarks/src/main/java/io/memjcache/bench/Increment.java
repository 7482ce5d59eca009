package io.memjcache.bench;

import java.io.Serializable;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;

/** The entry processor of the invoke workload: a counter in the value's first 8 bytes, plus one. */
public final class Increment implements EntryProcessor<String, byte[], Long>, Serializable {

  private static final long serialVersionUID = 1L;

  public static final Increment INSTANCE = new Increment();

  @Override
  public Long process(MutableEntry<String, byte[]> entry, Object... arguments) {
    byte[] next = Store.incremented(entry.getValue());
    entry.setValue(next);
    return Store.counter(next);
  }
}
