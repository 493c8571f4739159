#!/usr/bin/env bash
# Issue 3 benchmark: server heap with 10,000 finished training jobs stored (see docs/benchmarks.md).
# Usage: bench/server-heap.sh [TUNING_JOBS=10] [JOBS_EACH=1000] [LOAD_SECONDS=60]
# 1. a real server runs the 2-job tuning job "template" (bench/heap-template.json, five_epochs.sh);
# 2. dev.vernier.bench.HeapSeed stores TUNING_JOBS x JOBS_EACH finished copies of its first
#    training job through the Store (server stopped);
# 3. a fresh server starts on that data directory: live heap (after GC.run) at idle, then during and
#    after HeapLoad (describe / list / describe-training-job from 4 clients).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tuning_jobs=${1:-10}; jobs_each=${2:-1000}; load_seconds=${3:-60}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java="$JAVA_HOME/bin/java"; jcmd="$JAVA_HOME/bin/jcmd"
cd "$here"
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -q -B -pl vernier-server,vernier-bench -am package -DskipTests >&2
fi
cp="vernier-bench/target/classes:$(cat vernier-bench/target/classpath.txt)"
export VERNIER_ACCESS_KEY_ID=AKIABENCHBENCHBENCH0 VERNIER_SECRET_ACCESS_KEY=bench-secret-key-0123456789abcdefghijkl
export AWS_ACCESS_KEY_ID=$VERNIER_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$VERNIER_SECRET_ACCESS_KEY AWS_DEFAULT_REGION=us-east-1
work="$(mktemp -d /tmp/vernier-heap.XXXXXX)"; data="$work/data"
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

start_server() {
  "$java" -jar vernier-server/target/vernier.jar server --port 0 --data-dir "$data" > "$work/server.out" 2>&1 &
  server_pid=$!
  for _ in $(seq 600); do grep -q "listening on" "$work/server.out" && break; sleep 0.1; done
  endpoint="$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/server.out" | tail -1)"
  [ -n "$endpoint" ] || { cat "$work/server.out" >&2; exit 1; }
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; : > "$work/server.out"; }
jc() { for _ in $(seq 20); do "$jcmd" "$server_pid" "$@" 2>/dev/null && return 0; sleep 1; done; echo "jcmd $* failed" >&2; return 1; }
used_mb() { jc GC.heap_info | awk '/used/ && /heap/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); printf "%.0f", v / 1024; exit } }'; }
live_mb() { jc GC.run > /dev/null; used_mb; }
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status"; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
start_server
sed "s#PROGRAM#$here/vernier-testkit/src/main/resources/programs/five_epochs.sh#" bench/heap-template.json > "$work/template.json"
aws sagemaker create-hyper-parameter-tuning-job --endpoint-url "$endpoint" --cli-input-json "file://$work/template.json" > /dev/null
until aws sagemaker describe-hyper-parameter-tuning-job --endpoint-url "$endpoint" --hyper-parameter-tuning-job-name template \
      --query HyperParameterTuningJobStatus --output text | grep -qx Completed; do sleep 1; done
stop_server
"$java" -cp "$cp" dev.vernier.bench.HeapSeed --database "$data/vernier.db" --template template \
    --tuning-jobs "$tuning_jobs" --jobs-each "$jobs_each" 2>/dev/null
echo "database: $(du -m "$data/vernier.db" | cut -f1) MB"

start_server
sleep 5
idle=$(live_mb); idle_rss=$(rss_mb)
"$java" -cp "$cp" dev.vernier.bench.HeapLoad --endpoint "$endpoint" --seconds "$load_seconds" --threads 4 > "$work/load.out" 2> "$work/load.err" &
load_pid=$!
peak_used=0; peak_live=0; peak_rss=0
for _ in $(seq 4); do
  sleep $((load_seconds / 5))
  u=$(used_mb); [ "$u" -gt "$peak_used" ] && peak_used=$u
  l=$(live_mb); [ "$l" -gt "$peak_live" ] && peak_live=$l
  r=$(rss_mb); [ "$r" -gt "$peak_rss" ] && peak_rss=$r
done
wait "$load_pid" || { grep -v WARN "$work/load.err" >&2; exit 1; }
after=$(live_mb)
echo "| state | live heap after GC.run (MB) | heap used, not collected (MB) | RSS (MB) |"
echo "|---|---|---|---|"
echo "| idle, $((tuning_jobs * jobs_each)) finished training jobs stored | $idle | – | $idle_rss |"
echo "| during read load, max of 4 samples | $peak_live | $peak_used | $peak_rss |"
echo "| after the load | $after | – | $(rss_mb) |"
echo "load: $(cat "$work/load.out")"
jc GC.class_histogram | head -13
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
