#!/usr/bin/env bash
# memjcache contended-invoke benchmark (issue 14): one hot key, invoke with an increment processor,
# from 1 and 16 threads in one JVM and from 2 JVMs x 8 and x 16 threads; checks that the counter is
# exact and that every writer progresses. One command builds, runs and writes
# benchmarks/results/contended.txt; see benchmarks/README.md ("Contended invoke").
#
#   benchmarks/run-contended.sh                      every case, 2 rounds (~3.5 minutes)
#   CASES=1x1,2x16 ROUNDS=3 benchmarks/run-contended.sh
#
# Optional environment (defaults in brackets):
#   CASES        JVMs x threads, comma-separated             [1x1,1x16,2x8,2x16]
#   ROUNDS       times the whole list is run                 [2]
#   WARMUP_S     warm-up of each case, not counted           [10] (each case starts fresh JVMs,
#                whose JIT compilers take seconds of both cores)
#   MEASURE_S    measured period of each case                [10]
#   OPERATION_TIMEOUT_MS  memjcache.operationTimeoutMillis   [2000]
#   VALUE_BYTES  value size (the counter is its first 8)     [64]
#   OUT          the summary                                 [benchmarks/results/contended.txt]
#   LOCAL_TURNS=1  an experiment: the writers of each JVM take turns (a fair lock around each invoke)
#   NO_BUILD=1   use the jar already built
#   JAR          the benchmarks jar to run (default benchmarks/target/benchmarks.jar; e.g. one built
#                from another commit, to compare two versions in one session)
#
# memcached (3 processes for the whole run, via the testkit, on free 127.0.0.1 ports) is installed
# from the OS packages when missing, and stopped at the end, on failure too; so are the client JVMs.
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${JAR:-benchmarks/target/benchmarks.jar}

# shellcheck source=benchmarks/lib.sh
. benchmarks/lib.sh

need_package memcached memcached
command -v java >/dev/null || { echo "a JDK 17+ is needed (java not on PATH)" >&2; exit 1; }
build_jar

# the code measured, for the summary's header
CONTENDED_CODE="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD -- provider testkit benchmarks 2>/dev/null || CONTENDED_CODE="$CONTENDED_CODE + uncommitted changes"
export CONTENDED_CODE

log "contended invoke: CASES=${CASES:-default} ROUNDS=${ROUNDS:-2}"
# the knobs reach ContendedBench through the environment; nice: the machine may be shared
nice -n 10 java -Djava.net.preferIPv4Stack=true -cp "$JAR" io.memjcache.bench.contended.ContendedBench
