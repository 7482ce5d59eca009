#!/usr/bin/env bash
# memjcache benchmarks: one command builds, starts the servers, runs JMH, stops the servers and
# writes benchmarks/results/README.md.
#
#   benchmarks/run.sh           the whole matrix, CPU per operation (CpuProbe), then the contended
#                               invoke of run-contended.sh (~1 hour on 2 cores)
#   QUICK=1 benchmarks/run.sh   get (hit), put, getAll at 1 and 16 threads, 100 B values, all four
#                               contenders, plus allocation of get/put (~6 minutes)
#
# Optional environment:
#   JMH_ITER    iteration options      (default "-wi 3 -w 1s -i 3 -r 1s"; sample mode uses -i 2)
#   THREADS     client thread counts   (default "1 16")
#   CONTENDERS  comma-separated subset (default memjcache-c1,memjcache-c2,spymemcached,redisson)
#   JMH_EXTRA   more JMH options appended to every run (e.g. "-prof jfr")
#   NO_BUILD=1  use the jar already built
#   JAR         the benchmarks jar to run (default benchmarks/target/benchmarks.jar; e.g. one built
#               from an older commit, to compare two versions in one session)
#   RUN, WORKLOADS, SIZES
#               a partial run: results in results/RUN-*.txt, only these CacheBench methods (a regex
#               alternation, e.g. 'putIfAbsent|replace') at these value sizes (default 100); no
#               allocation runs, and results/README.md (the last full run's report) is left alone
#
# memcached (3 processes per JMH fork, via the testkit, on free 127.0.0.1 ports) and redis-server
# (one for the whole run, on a free 127.0.0.1 port, no persistence) are installed from the OS
# packages when missing. Nothing listens on anything but 127.0.0.1.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
RESULTS=benchmarks/results
JAR=${JAR:-benchmarks/target/benchmarks.jar}
QUICK=${QUICK:-0}
THREADS=${THREADS:-1 16}
CONTENDERS=${CONTENDERS:-memjcache-c1,memjcache-c2,spymemcached,redisson}
JMH_ITER=${JMH_ITER:--wi 3 -w 1s -i 3 -r 1s}
SAMPLE_ITER=${SAMPLE_ITER:-$(echo "$JMH_ITER" | sed -E 's/-i [0-9]+/-i 2/')}
JMH_EXTRA=${JMH_EXTRA:-}
STARTED=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
COMMAND="$(if [ "$QUICK" = 1 ]; then echo 'QUICK=1 '; fi)benchmarks/run.sh"

# shellcheck source=benchmarks/lib.sh
. benchmarks/lib.sh

need_package memcached memcached
need_package redis-server redis-server
need_package redis-cli redis-tools
command -v java >/dev/null || { echo "a JDK 17+ is needed (java not on PATH)" >&2; exit 1; }

# ---------------------------------------------------------------- build
build_jar

# ---------------------------------------------------------------- redis-server
REDIS_PID=""
REDIS_DIR=$(mktemp -d)
stop_redis() {
  if [ -n "$REDIS_PID" ] && kill -0 "$REDIS_PID" 2>/dev/null; then
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  rm -rf "$REDIS_DIR"
}
trap stop_redis EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

REDIS_PORT=""
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  candidate=$(( 20000 + RANDOM % 30000 ))
  port_free "$candidate" || continue
  redis-server --bind 127.0.0.1 --port "$candidate" --save '' --appendonly no \
    --dir "$REDIS_DIR" --protected-mode yes --logfile "$REDIS_DIR/redis.log" &
  REDIS_PID=$!
  for _ in $(seq 1 100); do
    if [ "$(redis-cli -h 127.0.0.1 -p "$candidate" ping 2>/dev/null)" = PONG ]; then
      REDIS_PORT=$candidate
      break
    fi
    kill -0 "$REDIS_PID" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$REDIS_PORT" ] && break
  kill "$REDIS_PID" 2>/dev/null || true
  wait "$REDIS_PID" 2>/dev/null || true
  REDIS_PID=""
done
[ -n "$REDIS_PORT" ] || { echo "could not start redis-server" >&2; cat "$REDIS_DIR/redis.log" >&2 || true; exit 1; }
log "redis-server $(redis-server --version | grep -o 'v=[^ ]*') on 127.0.0.1:$REDIS_PORT (pid $REDIS_PID)"

FORK_ARGS="-Xms2g -Xmx2g -Djava.net.preferIPv4Stack=true -Dbench.redis=127.0.0.1:$REDIS_PORT"

# ---------------------------------------------------------------- smoke
log "smoke check: every contender does what its workload claims"
java -Dbench.redis="127.0.0.1:$REDIS_PORT" -cp "$JAR" io.memjcache.bench.Smoke ${CONTENDERS//,/ }

# ---------------------------------------------------------------- JMH
PARTIAL=${RUN:+1}
if [ -n "$PARTIAL" ]; then
  WORKLOADS=${WORKLOADS:?a partial run (RUN=$RUN) names its WORKLOADS}
  SIZES=${SIZES:-100}
elif [ "$QUICK" = 1 ]; then
  RUN=quick
  WORKLOADS='getHit|put|getAll'
  SIZES=100
else
  RUN=full
  WORKLOADS='getHit|getMiss|put|putIfAbsent|replace|invoke|getAll|putAll|mix'
  SIZES=100,4096
fi
mkdir -p "$RESULTS"
rm -f "$RESULTS/$RUN"-*.json "$RESULTS/$RUN"-*.txt

jmh() { # name, then JMH options
  local name=$1
  shift
  log "JMH $name: $*"
  local status
  set +e
  # shellcheck disable=SC2086
  java -jar "$JAR" "$@" -f 1 -foe true -p contender="$CONTENDERS" \
    -jvmArgsAppend "$FORK_ARGS" -rf json -rff "$RESULTS/$RUN-$name.json" $JMH_EXTRA \
    2>&1 | tee "$RESULTS/$RUN-$name.txt" | grep --line-buffered -E '^(# Parameters|Result |[A-Za-z]+Bench\.)'
  status=${PIPESTATUS[0]}
  set -e
  [ "$status" = 0 ] || { echo "JMH $name failed ($status): see $RESULTS/$RUN-$name.txt" >&2; exit 1; }
}

for t in $THREADS; do
  # shellcheck disable=SC2086
  jmh "thrpt-t$t" "CacheBench\\.($WORKLOADS)\$" -p valueSize="$SIZES" -t "$t" -bm thrpt -tu s $JMH_ITER
  # shellcheck disable=SC2086
  jmh "sample-t$t" "CacheBench\\.($WORKLOADS)\$" -p valueSize="$SIZES" -t "$t" -bm sample -tu us $SAMPLE_ITER
done

# allocation per operation of our get and put (spymemcached alongside, for reference)
GC_CONTENDERS=$(echo "$CONTENDERS" | tr ',' '\n' | grep -v redisson | paste -sd, -)
if [ -n "$PARTIAL" ]; then
  log "done: $RESULTS/$RUN-*.txt"
  exit 0
fi
if [ -n "$GC_CONTENDERS" ]; then
  CONTENDERS_SAVED=$CONTENDERS
  CONTENDERS=$GC_CONTENDERS
  # shellcheck disable=SC2086
  jmh gc 'CacheBench\.(getHit|put)$' -p valueSize="$SIZES" -t 1 -bm thrpt -tu s -prof gc $JMH_ITER
  CONTENDERS=$CONTENDERS_SAVED
fi

# Runs a probe once per contender of $GC_CONTENDERS, one JVM each (memjcache switches
# spymemcached's logger JVM-wide when it loads, and contenders in one JVM share the JIT's profiles),
# keeping the first header line: probe OUTPUT_FILE CLASS ARGS_AFTER_THE_CONTENDER...
probe() {
  local out=$1 class=$2
  shift 2
  for c in ${GC_CONTENDERS//,/ }; do
    java -Xms2g -Xmx2g -cp "$JAR" "io.memjcache.bench.$class" "$c" "$@" 2>/dev/null
  done | awk 'NR == 1 || !/^contender/' | tee "$out"
}

# full run only: caller-thread vs all-thread allocation of get/put/getAll, counted exactly; CPU per
# operation of every workload (steadier than ops/s)
if [ "$QUICK" != 1 ] && [ -n "$GC_CONTENDERS" ]; then
  log "allocation probe (caller thread vs all threads): $GC_CONTENDERS"
  probe "$RESULTS/$RUN-alloc-probe.txt" AllocProbe "$SIZES"
  log "CPU probe (CPU per operation, 16 threads, 100 B): $GC_CONTENDERS"
  probe "$RESULTS/$RUN-cpu-probe.txt" CpuProbe 16 100 get,put,putIfAbsent,replace,invoke,getAll
fi

# one hot key from many threads and JVMs (full run only): its own servers, JVMs and summary
if [ "$QUICK" != 1 ]; then
  NO_BUILD=1 JAR="$JAR" OUT="$RESULTS/$RUN-contended.txt" benchmarks/run-contended.sh
fi

# ---------------------------------------------------------------- report
log "writing $RESULTS/README.md"
java -cp "$JAR" io.memjcache.bench.Report "$RESULTS" "$RUN" "$COMMAND" "$STARTED" \
  "thrpt: $JMH_ITER; sample: $SAMPLE_ITER; -f 1" > /dev/null
log "done: $RESULTS/README.md (raw: $RESULTS/$RUN-*.txt, $RESULTS/$RUN-*.json)"
