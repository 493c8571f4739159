#!/usr/bin/env bash
# Early stopping Off vs Auto vs Hyperband (issue 6): three tuning jobs with the same seed and budget on
# a per-epoch program where half the configurations are hopeless (curve.sh), run one after another.
#
#   bench/early-stopping.sh [--seeds "1 2"] [--jobs 20] [--epochs 20] [--sleep 0.15] [--parallel 1]
#
# Builds the jar and the bench classes if needed, starts `vernier server --port 0` on a fresh temp data
# dir with known keys, and runs dev.vernier.bench.EarlyStoppingBenchmark once per seed (a markdown table each).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
seeds="1 2" jobs=20 epochs=20 sleep=0.15 parallel=1
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --sleep) sleep="$2"; shift 2 ;;
    --parallel) parallel="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
work="$(mktemp -d /tmp/vernier-es-bench.XXXXXX)"
export VERNIER_ACCESS_KEY_ID=AKIAVERNIERBENCH0002
export VERNIER_SECRET_ACCESS_KEY=benchSecretKeyForEarlyStopping000000001
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$root" && mvn -q -B -pl vernier-server,vernier-bench -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=runtime >&2)   # the last module (bench) writes cp.txt last
cp "$root/vernier-testkit/src/main/resources/programs/curve.sh" "$work/curve.sh"
chmod +x "$work/curve.sh"
"$root/vernier" server --port 0 --data-dir "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 3000); do   # up to 5 min on a loaded machine
  port="$(sed -n 's|^Vernier is listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/server.log")"
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/server.log" >&2; exit 1; }
for seed in $seeds; do
  echo "seed $seed, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  "$JAVA_HOME/bin/java" -cp "$root/vernier-bench/target/classes:$(cat "$work/cp.txt")" \
      dev.vernier.bench.EarlyStoppingBenchmark --endpoint "http://127.0.0.1:$port" \
      --key "$VERNIER_ACCESS_KEY_ID" --secret "$VERNIER_SECRET_ACCESS_KEY" --program "$work/curve.sh" \
      --jobs "$jobs" --epochs "$epochs" --sleep "$sleep" --parallel "$parallel" --seed "$seed"
done
