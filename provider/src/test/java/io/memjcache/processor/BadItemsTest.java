package io.memjcache.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.memjcache.cluster.ItemStore;
import io.memjcache.cluster.ItemWrite;
import io.memjcache.cluster.KeyListing;
import io.memjcache.cluster.StoredItem;
import io.memjcache.cluster.WriteOutcome;
import io.memjcache.codec.CorruptEntryException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only the exact bad item read is deleted, never one written since (pure logic, no server). */
class BadItemsTest {

  private static final CorruptEntryException WHY = new CorruptEntryException("test");

  /** Holds one item; records the CAS ids deletes were conditioned on. */
  private static final class OneItem implements ItemStore {
    StoredItem item;
    final List<Long> deletesWithCas = new ArrayList<>();

    OneItem(StoredItem item) {
      this.item = item;
    }

    @Override
    public StoredItem gets(String key) {
      return item;
    }

    @Override
    public WriteOutcome delete(String key, StoredItem expected) {
      deletesWithCas.add(expected.cas());
      if (item == null || item.cas() != expected.cas()) {
        return WriteOutcome.CONFLICT;
      }
      item = null;
      return WriteOutcome.APPLIED;
    }

    @Override
    public StoredItem get(String key) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, StoredItem> getAll(Collection<String> keys) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void set(String key, int exptime, byte[] bytes) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void setAll(List<ItemWrite> writes) {
      throw new UnsupportedOperationException();
    }

    @Override
    public WriteOutcome add(String key, int exptime, byte[] bytes) {
      throw new UnsupportedOperationException();
    }

    @Override
    public WriteOutcome cas(String key, StoredItem expected, int exptime, byte[] bytes) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean delete(String key) {
      throw new UnsupportedOperationException("an unconditional delete could remove a newer item");
    }

    @Override
    public int deleteAll(Collection<String> keys) {
      throw new UnsupportedOperationException();
    }

    @Override
    public KeyListing keys(String prefix, KeyListing.Coverage coverage) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void anItemReadWithItsCasIdIsDeletedWithThatId() {
    StoredItem bad = new StoredItem(1, new byte[] {1}, 7);
    OneItem store = new OneItem(bad);
    assertNull(new BadItems(store).discard("k", bad, WHY));
    assertEquals(List.of(7L), store.deletesWithCas);
  }

  @Test
  void anItemReplacedSinceItWasReadStays() {
    StoredItem bad = new StoredItem(1, new byte[] {1}, 7);
    StoredItem newer = new StoredItem(1, new byte[] {2}, 8);
    OneItem store = new OneItem(newer);
    assertSame(bad, new BadItems(store).discard("k", bad, WHY));
    assertSame(newer, store.item, "the newer item is untouched");
  }

  @Test
  void anItemFromAMultiGetIsDeletedOnlyIfAFreshReadShowsTheSameBytes() {
    StoredItem fromMultiGet = new StoredItem(1, new byte[] {1}, 0);
    OneItem same = new OneItem(new StoredItem(1, new byte[] {1}, 9));
    assertNull(new BadItems(same).discard("k", fromMultiGet, WHY));
    assertEquals(List.of(9L), same.deletesWithCas);

    OneItem rewritten = new OneItem(new StoredItem(1, new byte[] {3}, 10));
    assertSame(fromMultiGet, new BadItems(rewritten).discard("k", fromMultiGet, WHY));
    assertEquals(List.of(), rewritten.deletesWithCas, "a good item written since is never deleted");
  }
}
