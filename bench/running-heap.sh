#!/usr/bin/env bash
# Issue 3 follow-up: the server's live heap while ONE tuning job of JOBS training jobs runs (the
# controller keeps a running tuning job's training jobs in memory). See docs/benchmarks.md.
# Usage: bench/running-heap.sh [JOBS=10000]   (needs python3 with boto3)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs=${1:-10000}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
cd "$here"
[ -n "${SKIP_BUILD:-}" ] || mvn -q -B -pl vernier-server -am package -DskipTests >&2
export VERNIER_ACCESS_KEY_ID=AKIABENCHBENCHBENCH0 VERNIER_SECRET_ACCESS_KEY=bench-secret-key-0123456789abcdefghijkl
export AWS_ACCESS_KEY_ID=$VERNIER_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$VERNIER_SECRET_ACCESS_KEY
work="$(mktemp -d /tmp/vernier-running-heap.XXXXXX)"
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" -jar vernier-server/target/vernier.jar server --port 0 --data-dir "$work/data" \
    --max-concurrent-training-jobs 10 > "$work/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 600); do grep -q "listening on" "$work/server.out" && break; sleep 0.1; done
endpoint="$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/server.out" | head -1)"
[ -n "$endpoint" ] || { cat "$work/server.out" >&2; exit 1; }
python3 bench/running_heap.py "$endpoint" "$server_pid" "$JAVA_HOME/bin/jcmd" "$jobs" "$here/bench/programs/one_metric.sh"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
