package io.memjcache.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The faults and interleavings scripted on a {@link FakeNode}: each step fires once, on the first
 * operation of its kind on its key, before the node applies it or after. A step is a fault (the
 * operation times out without being applied: the node hangs; or it times out after being applied:
 * the write landed, the reply was lost) or an action (another client's step, a CAS conflict
 * injected by changing the item), run on the calling thread, so a race replays the same every time.
 */
final class NodeScript {

  /**
   * The operations a step can be bound to. Records (marks, lists) use ADD, SET and CAS too; LIST
   * (a repair's key listing) and FLUSH are bound to no key.
   */
  enum Op {
    GET, GETS, MULTI_GET, SET, ADD, CAS, DELETE, DELETE_CAS, TOMBSTONE, CLAIM, SET_TOMBSTONE, FLUSH, LIST
  }

  private record Step(Op op, String key, boolean after, Runnable action) {}

  private final List<Step> steps = new ArrayList<>();
  private final FakeNode node;

  NodeScript(FakeNode node) {
    this.node = node;
  }

  /** Runs {@code action} just before the next {@code op} on {@code key} is applied. */
  synchronized NodeScript before(Op op, String key, Runnable action) {
    steps.add(new Step(op, key, false, action));
    return this;
  }

  /** Runs {@code action} just after the next {@code op} on {@code key} is applied, before it returns. */
  synchronized NodeScript after(Op op, String key, Runnable action) {
    steps.add(new Step(op, key, true, action));
    return this;
  }

  /** The next {@code op} on {@code key} hangs: it times out, not applied. */
  NodeScript hangs(Op op, String key) {
    return before(op, key, () -> {
      throw node.timeout(op);
    });
  }

  /** The next {@code op} on {@code key} is applied, then times out: the client cannot tell it landed. */
  NodeScript failsAfterApplying(Op op, String key) {
    return after(op, key, () -> {
      throw node.timeout(op);
    });
  }

  /** The next {@code op} on {@code key} meets a CAS conflict: the item's CAS id changes just before. */
  NodeScript conflictsAt(Op op, String key) {
    return before(op, key, () -> node.touch(key));
  }

  /** Returns if every scripted step has fired. */
  synchronized boolean isDone() {
    return steps.isEmpty();
  }

  /** Fires the first step bound to {@code op} before (or after) it on one of {@code keys}, if any. */
  void fire(Op op, Collection<String> keys, boolean after) {
    Step step = take(op, keys, after);
    if (step != null) {
      step.action().run();
    }
  }

  private synchronized Step take(Op op, Collection<String> keys, boolean after) {
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (step.op() == op && step.after() == after && keys.contains(step.key())) {
        return steps.remove(i);
      }
    }
    return null;
  }
}
