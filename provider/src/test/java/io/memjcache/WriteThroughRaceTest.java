package io.memjcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testkit.MemcachedCluster;
import io.memjcache.testkit.RealMemcached;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;
import javax.cache.processor.EntryProcessorException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CacheWriter and the CacheLoader run once per committed decision when a conditional operation
 * loses its CAS to another JVM. Two managers on their own provider instances (own connections, as
 * two JVMs) share one cache; the first writer or loader call of "this" JVM makes the "other" JVM
 * change the entry, so the first CAS is certain to lose and the decision is taken again.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@RealMemcached
class WriteThroughRaceTest {

  static MemcachedCluster cluster;
  static CacheManager thisJvm;
  static CacheManager otherJvm;
  /** The other JVM's cache: no writer, no loader. */
  static Cache<String, String> other;
  /** The same entries as written by an application with a shorter expiry, also in the other JVM. */
  static Cache<String, String> otherShortLived;

  /** What this JVM's writer was told, in order. */
  static final List<String> told = new ArrayList<>();
  static final AtomicInteger loads = new AtomicInteger();
  /** Runs inside this JVM's first writer or loader call of a test, then is cleared. */
  static Runnable onFirstCall;

  static Cache<String, String> writing;
  static Cache<String, String> loading;

  @BeforeAll
  static void start() {
    cluster = MemcachedCluster.start(2);
    thisJvm = Fixtures.manager(cluster, "writer-race:shared");
    otherJvm = Fixtures.manager(cluster, "writer-race:shared");
    writing = thisJvm.createCache("writing", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setWriteThrough(true)
        .setCacheWriterFactory((Factory<CacheWriter<String, String>>) RecordingWriter::new));
    loading = thisJvm.createCache("loading", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setReadThrough(true)
        .setCacheLoaderFactory((Factory<CacheLoader<String, String>>) CountingLoader::new));
    other = otherJvm.createCache("writing", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class));
    otherShortLived = otherJvm.createCache("loading", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 1))));
  }

  @AfterAll
  static void stop() {
    try {
      thisJvm.close();
      otherJvm.close();
    } finally {
      cluster.close();
    }
  }

  @BeforeEach
  void reset() {
    other.remove("k");
    otherShortLived.remove("k");
    told.clear();
    loads.set(0);
    onFirstCall = null;
  }

  @Test
  void putIfAbsent_lostToAnotherJvmsPut_writerToldTheValueTheCacheHolds() {
    onFirstCall = () -> other.put("k", "theirs");
    assertFalse(writing.putIfAbsent("k", "mine"));
    assertEquals(List.of("write k=mine", "write k=theirs"), told);
    assertEquals("theirs", writing.get("k"));
  }

  @Test
  void getAndReplace_lostToAnotherJvmsPut_sameDecisionWrittenOnce() {
    other.put("k", "first");
    onFirstCall = () -> other.put("k", "theirs");
    assertEquals("theirs", writing.getAndReplace("k", "mine"));
    assertEquals(List.of("write k=mine"), told);
    assertEquals("mine", writing.get("k"));
  }

  @Test
  void replace_lostToAnotherJvmsWriteOfTheSameValue_writtenOnce() {
    other.put("k", "old");
    onFirstCall = () -> other.put("k", "old"); // same value, new CAS id
    assertTrue(writing.replace("k", "old", "mine"));
    assertEquals(List.of("write k=mine"), told);
    assertEquals("mine", writing.get("k"));
  }

  @Test
  void replace_lostToAnotherJvmsChange_writerToldTheValueTheCacheHolds() {
    other.put("k", "old");
    onFirstCall = () -> other.put("k", "theirs");
    assertFalse(writing.replace("k", "old", "mine"));
    assertEquals(List.of("write k=mine", "write k=theirs"), told);
    assertEquals("theirs", writing.get("k"));
  }

  @Test
  void removeIfEqual_lostToAnotherJvmsWriteOfTheSameValue_deletedOnce() {
    other.put("k", "v");
    onFirstCall = () -> other.put("k", "v");
    assertTrue(writing.remove("k", "v"));
    assertEquals(List.of("delete k"), told);
    assertFalse(writing.containsKey("k"));
  }

  @Test
  void removeIfEqual_lostToAnotherJvmsChange_writerToldTheValueTheCacheHolds() {
    other.put("k", "v");
    onFirstCall = () -> other.put("k", "theirs");
    assertFalse(writing.remove("k", "v"));
    assertEquals(List.of("delete k", "write k=theirs"), told);
    assertEquals("theirs", writing.get("k"));
  }

  @Test
  void invoke_lostToAnotherJvmsPut_processorRerunButWrittenOnce() {
    other.put("k", "first");
    onFirstCall = () -> other.put("k", "theirs");
    AtomicInteger runs = new AtomicInteger();
    String result = writing.invoke("k", (entry, args) -> {
      runs.incrementAndGet();
      entry.setValue("mine");
      return "done";
    });
    assertEquals("done", result);
    assertEquals(2, runs.get(), "the lost race reruns the processor");
    assertEquals(List.of("write k=mine"), told);
    assertEquals("mine", writing.get("k"));
  }

  @Test
  void invoke_lostToAnotherJvmsPut_decisionChangedToRemove_writerToldEachDecision() {
    other.put("k", "first");
    onFirstCall = () -> other.put("k", "theirs");
    writing.invoke("k", (entry, args) -> {
      if ("theirs".equals(entry.getValue())) {
        entry.remove();
      } else {
        entry.setValue("mine");
      }
      return null;
    });
    assertEquals(List.of("write k=mine", "delete k"), told);
    assertFalse(writing.containsKey("k"));
  }

  @Test
  void invoke_processorThrowsOnItsRerun_writerToldTheValueTheCacheHolds() {
    other.put("k", "first");
    onFirstCall = () -> other.put("k", "theirs");
    assertThrows(EntryProcessorException.class, () -> writing.invoke("k", (entry, args) -> {
      if ("theirs".equals(entry.getValue())) {
        throw new IllegalStateException("not on their value");
      }
      entry.setValue("mine");
      return null;
    }));
    assertEquals(List.of("write k=mine", "write k=theirs"), told);
    assertEquals("theirs", writing.get("k"));
  }

  @Test
  void invoke_readThroughLostItsCas_loaderCalledOnceAndItsValueKept() {
    // the other JVM stores an entry that expires at once: it keeps this JVM's add from succeeding,
    // and the retried decision finds the key absent again
    onFirstCall = () -> {
      otherShortLived.put("k", "theirs");
      sleepPastExpiry();
    };
    AtomicInteger runs = new AtomicInteger();
    String seen = loading.invoke("k", (entry, args) -> {
      runs.incrementAndGet();
      return entry.getValue();
    });
    assertEquals(2, runs.get(), "the lost race reruns the processor");
    assertEquals(1, loads.get());
    assertEquals("loaded", seen);
    assertEquals("loaded", loading.get("k"));
  }

  static void sleepPastExpiry() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void firstCall() {
    Runnable hook = onFirstCall;
    onFirstCall = null;
    if (hook != null) {
      hook.run();
    }
  }

  /** Records every call; its first call of a test runs the test's conflict. */
  static final class RecordingWriter implements CacheWriter<String, String> {

    @Override
    public void write(Cache.Entry<? extends String, ? extends String> entry) {
      told.add("write " + entry.getKey() + "=" + entry.getValue());
      firstCall();
    }

    @Override
    public void writeAll(Collection<Cache.Entry<? extends String, ? extends String>> entries) {
      throw new UnsupportedOperationException("no batch write in this test");
    }

    @Override
    public void delete(Object key) {
      told.add("delete " + key);
      firstCall();
    }

    @Override
    public void deleteAll(Collection<?> keys) {
      throw new UnsupportedOperationException("no batch delete in this test");
    }
  }

  /** Loads "loaded" for any key and counts; its first call of a test runs the test's conflict. */
  static final class CountingLoader implements CacheLoader<String, String> {

    @Override
    public String load(String key) {
      loads.incrementAndGet();
      firstCall();
      return "loaded";
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      throw new UnsupportedOperationException("no batch load in this test");
    }
  }
}
