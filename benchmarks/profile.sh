#!/usr/bin/env bash
# Profiles one benchmark with JFR (JMH's -prof jfr) and prints where the CPU and the allocations go.
#
#   benchmarks/profile.sh WORKLOAD [CONTENDERS] [THREADS] [VALUE_SIZE]
#   e.g. benchmarks/profile.sh getAll memjcache-c2,spymemcached 16 100
#
# PROFILE_ITER overrides the iterations (default "-wi 4 -w 1s -i 3 -r 2s"); OUT the directory of the
# recordings and summary (default benchmarks/results/profiles/WORKLOAD-tTHREADS-SIZE); JAR
# the benchmarks jar (default benchmarks/target/benchmarks.jar, e.g. a copy built from another commit).
# Builds nothing: run benchmarks/run.sh (or NO_BUILD=0 ... ) first so benchmarks/target/benchmarks.jar
# exists. Starts a redis-server only when the redisson contender is asked for. Recordings and the
# summaries land in benchmarks/results/profiles/.
set -euo pipefail
cd "$(dirname "$0")/.."
WORKLOAD=${1:?workload, e.g. getHit, put, getAll}
CONTENDERS=${2:-memjcache-c2,spymemcached}
THREADS=${3:-1}
SIZE=${4:-100}
JAR=${JAR:-benchmarks/target/benchmarks.jar}
OUT=${OUT:-benchmarks/results/profiles/$WORKLOAD-t$THREADS-$SIZE}
[ -f "$JAR" ] || { echo "build first: benchmarks/run.sh builds $JAR" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"

REDIS_PID=""
trap '[ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null; wait 2>/dev/null || true' EXIT
REDIS_ARG=""
if [[ "$CONTENDERS" == *redisson* ]]; then
  PORT=$(( 20000 + RANDOM % 30000 ))
  redis-server --bind 127.0.0.1 --port "$PORT" --save '' --appendonly no --logfile /dev/null &
  REDIS_PID=$!
  until [ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null)" = PONG ]; do sleep 0.05; done
  REDIS_ARG="-Dbench.redis=127.0.0.1:$PORT"
fi

java -jar "$JAR" "CacheBench\\.$WORKLOAD\$" -p contender="$CONTENDERS" -p valueSize="$SIZE" \
  -t "$THREADS" -f 1 ${PROFILE_ITER:--wi 4 -w 1s -i 3 -r 2s} -foe true \
  -jvmArgsAppend "-Xms2g -Xmx2g -Djava.net.preferIPv4Stack=true $REDIS_ARG" \
  -prof "jfr:dir=$OUT;configName=profile" 2>&1 | tee "$OUT/jmh.txt" | grep -E '^(# Parameters|CacheBench)' || true
java -cp "$JAR" io.memjcache.bench.JfrTop "$OUT" 25 | tee "$OUT/summary.txt"
