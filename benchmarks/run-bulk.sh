#!/usr/bin/env bash
# memjcache bulk-operation benchmark (issue 16): iteration, removeAll() and clear() of large caches,
# and of a small cache beside a large one, with the client heap capped. One command builds, runs
# and writes benchmarks/results/bulk.txt; see benchmarks/README.md ("Bulk operations").
#
#   benchmarks/run-bulk.sh                                  every size and operation (~15 minutes)
#   SIZES=1000000 OPS=clear,small-clear benchmarks/run-bulk.sh   clear() alone, at 1M entries
#
# Optional environment (defaults in brackets):
#   SIZES        entries of the large cache, one run of each   [10000 100000 1000000]
#   OPS          operations, in this order                     [iterate,small-iterate,small-removeAll,small-clear,removeAll,clear]
#   RUNS         runs per operation, the median is reported    [3]
#   CLIENT_HEAP  the client JVM's -Xmx                         [256m]
#   MEMCACHED_MB each memcached's -m                           [512]
#   VALUE_BYTES  value size                                    [100]
#   SMALL_ENTRIES entries of the small cache                   [1000]
#   STEP_LIMIT_S limit of each load, operation and check       [600]
#   OPERATION_TIMEOUT_MS  memjcache.operationTimeoutMillis     [2000]
#   OUT          the summary                                   [benchmarks/results/bulk.txt]
#   NO_BUILD=1   use the jar already built
#
# memcached (3 processes per size, via the testkit, on free 127.0.0.1 ports) is installed from the
# OS packages when missing, and stopped when the size is done, on failure too.
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=benchmarks/target/benchmarks.jar

# shellcheck source=benchmarks/lib.sh
. benchmarks/lib.sh

need_package memcached memcached
command -v java >/dev/null || { echo "a JDK 17+ is needed (java not on PATH)" >&2; exit 1; }
build_jar

# the code measured, for the summary's header
BULK_CODE="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD -- provider testkit benchmarks 2>/dev/null || BULK_CODE="$BULK_CODE + uncommitted changes"
export BULK_CODE

log "bulk benchmark: SIZES=${SIZES:-default} OPS=${OPS:-default} RUNS=${RUNS:-3}"
# the knobs reach BulkBench through the environment; nice: the machine may be shared
nice -n 10 java -cp "$JAR" io.memjcache.bench.bulk.BulkBench
