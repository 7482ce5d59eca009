package io.memjcache.bench.bulk;

import java.util.ArrayList;
import java.util.List;

/**
 * The measured bulk operations, by the names {@code OPS} takes. The {@code small-} ones act on a
 * 1k-entry cache while the large cache of the run's size holds its entries on the same servers.
 */
enum BulkOp {
  ITERATE("iterate", false),
  REMOVE_ALL("removeAll", false),
  CLEAR("clear", false),
  SMALL_ITERATE("small-iterate", true),
  SMALL_REMOVE_ALL("small-removeAll", true),
  SMALL_CLEAR("small-clear", true);

  private final String label;
  private final boolean small;

  BulkOp(String label, boolean small) {
    this.label = label;
    this.small = small;
  }

  String label() {
    return label;
  }

  /** Whether it acts on the small cache (the large one being loaded beside it). */
  boolean small() {
    return small;
  }

  /** Whether it leaves its cache empty, so the next operation on that cache needs a reload. */
  boolean empties() {
    return this != ITERATE && this != SMALL_ITERATE;
  }

  /** Parses a comma-separated list of labels; an unknown label is an error naming it. */
  static List<BulkOp> parseList(String labels) {
    List<BulkOp> ops = new ArrayList<>();
    for (String label : labels.split(",")) {
      ops.add(parse(label.trim()));
    }
    return List.copyOf(ops);
  }

  static BulkOp parse(String label) {
    for (BulkOp op : values()) {
      if (op.label.equals(label)) {
        return op;
      }
    }
    throw new IllegalArgumentException(
        "unknown bulk operation '" + label + "' in OPS: known are " + String.join(",", labels()));
  }

  private static List<String> labels() {
    List<String> labels = new ArrayList<>();
    for (BulkOp op : values()) {
      labels.add(op.label);
    }
    return labels;
  }
}
