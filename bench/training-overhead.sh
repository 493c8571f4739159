#!/usr/bin/env bash
# Issue 3 benchmark: overhead per training job (see docs/benchmarks.md).
# Usage: bench/training-overhead.sh [ROUNDS=3] [JOBS=200] [PARALLEL=10] [WARMUP=100]
# SERVER_JAVA_OPTS: extra JVM options for the server (e.g. -Dvernier.launcher=processbuilder).
# BENCH_WORK: the directory for the data directories (default vernier-bench/target; see below).
# Each round starts a fresh server (own data directory, --max-concurrent-training-jobs PARALLEL),
# runs dev.vernier.bench.TrainingOverhead against it (an untimed WARMUP-job tuning job, the
# direct runs, the timed tuning job), and stops it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=${1:-3}; jobs=${2:-200}; parallel=${3:-10}; warmup=${4:-100}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java="$JAVA_HOME/bin/java"
cd "$here"
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -q -B -pl vernier-server,vernier-bench -am package -DskipTests >&2
fi
cp="vernier-bench/target/classes:$(cat vernier-bench/target/classpath.txt)"
export VERNIER_ACCESS_KEY_ID=AKIABENCHBENCHBENCH0 VERNIER_SECRET_ACCESS_KEY=bench-secret-key-0123456789abcdefghijkl
# BENCH_WORK: where the data directories go. Not /tmp by default: on this VM every build and test
# creates and deletes thousands of files there, and ext4 then allocates inodes there ~10x slower
# (docs/benchmarks.md, fifth round); a server's default data directory is .vernier in its working directory.
mkdir -p "${BENCH_WORK:=$here/vernier-bench/target}"
work="$(mktemp -d "$BENCH_WORK/vernier-overhead.XXXXXX")"
chmod o+x "$work"   # training programs run as the job user (nobody), who must reach the job directories
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$jobs jobs, $parallel at a time, after a warm-up tuning job of $warmup jobs"
echo "| round | direct wall T_d (ms) | Vernier CreationTime→EndTime T_v (ms) | client-observed (ms) | (T_v − T_d)/jobs (ms) | (T_v − T_d)·parallel/jobs (ms) | CPU/job direct (ms) | CPU/job server JVM (of which JIT) (ms) | CPU/job wrappers+programs (ms) |"
echo "|---|---|---|---|---|---|---|---|---|"
for round in $(seq "$rounds"); do
  data="$work/data-$round"; mkdir -p "$data"
  "$java" ${SERVER_JAVA_OPTS:-} -jar vernier-server/target/vernier.jar server --port 0 --data-dir "$data" \
      --max-concurrent-training-jobs "$parallel" > "$work/server-$round.out" 2>&1 &
  server_pid=$!
  for _ in $(seq 600); do grep -q "listening on" "$work/server-$round.out" && break; sleep 0.1; done
  endpoint="$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/server-$round.out" | head -1)"
  [ -n "$endpoint" ] || { cat "$work/server-$round.out" >&2; exit 1; }
  "$java" -cp "$cp" dev.vernier.bench.TrainingOverhead --endpoint "$endpoint" \
      --program "$here/bench/programs/one_metric.sh" --work "$work/direct-$round" \
      --jobs "$jobs" --parallel "$parallel" --name "round-$round" --server-pid "$server_pid" --warmup "$warmup" 2>/dev/null
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
