#!/usr/bin/env bash
# Overhead per container training job beyond `podman run` of the same image (see docs/benchmarks.md).
# Usage: bench/container-overhead.sh [ROUNDS=3] [JOBS=20] [PARALLEL=2] [WARMUP=4] [POLL_MILLIS=1000] [BLOCKS=1]
# Builds a busybox image whose entry point is bench/programs/one_metric.sh (needs .ci/setup-podman.sh),
# then per round starts a fresh server with --backend container and runs dev.vernier.bench.TrainingOverhead
# with --image: JOBS `podman run --rm ... image train` directly, PARALLEL at a time, then a tuning job of
# JOBS training jobs of that image. The last three columns are the clean side-by-side figure: the median
# `podman run` (wall, per run), the median container job (CreationTime to TrainingEndTime, per job) and
# their difference, the per-job overhead; then Vernier's own share of it, the median time from a job's CreationTime to
# its wrapper's start (read from the server's data directory); the summary line gives their medians over the rounds. POLL_MILLIS is how
# often the benchmark's client asks whether the tuning job has ended (the SageMaker Python SDK's wait() asks every
# 5 s; every call costs server CPU that the jobs on the same two cores compete for; the times are the server's own).
# BLOCKS > 1 alternates the two sides within a round (JOBS/BLOCKS direct runs, then a tuning job of as many, ...), so
# that the machine's drift during a round weighs on both alike.
# SKIP_BUILD=1: use the jars already built (vernier-server/target/vernier.jar, vernier-bench/target/classes).
# SERVER_JAR=path: run that server jar instead of vernier-server/target/vernier.jar (another build, side by side).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=${1:-3}; jobs=${2:-20}; parallel=${3:-2}; warmup=${4:-4}; poll=${5:-1000}; blocks=${6:-1}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java="$JAVA_HOME/bin/java"
cd "$here"
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -q -B -pl vernier-server,vernier-bench -am package -DskipTests >&2
fi
programs="$(mktemp -d)"
cp bench/programs/one_metric.sh "$programs/"
vernier-backend-container/src/test/images/build-test-images.sh podman bench "$programs"
rm -rf "$programs"
image=localhost/vernier-test-one-metric:bench
cp="vernier-bench/target/classes:$(cat vernier-bench/target/classpath.txt)"
export VERNIER_ACCESS_KEY_ID=AKIABENCHBENCHBENCH0 VERNIER_SECRET_ACCESS_KEY=bench-secret-key-0123456789abcdefghijkl
mkdir -p "${BENCH_WORK:=$here/vernier-bench/target}"
work="$(mktemp -d "$BENCH_WORK/vernier-container-overhead.XXXXXX")"
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$jobs container jobs of $image, $parallel at a time, after a warm-up tuning job of $warmup jobs, client polling every $poll ms, in $blocks alternating blocks; $(podman --version)"
echo "| round | podman run wall T_d (ms) | Vernier CreationTime→EndTime T_v (ms) | client-observed (ms) | (T_v − T_d)/jobs (ms) | (T_v − T_d)·parallel/jobs (ms) | CPU/job direct (ms) | CPU/job server JVM (of which JIT) (ms) | CPU/job wrappers+podman (ms) | median podman run (ms) | median container job (ms) | per-job overhead (ms) | median CreationTime→wrapper start (ms) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for round in $(seq "$rounds"); do
  data="$work/data-$round"; mkdir -p "$data"
  "$java" ${SERVER_JAVA_OPTS:-} -jar "${SERVER_JAR:-vernier-server/target/vernier.jar}" server --port 0 --data-dir "$data" \
      --backend container --max-concurrent-training-jobs "$parallel" > "$work/server-$round.out" 2>&1 &
  server_pid=$!
  for _ in $(seq 600); do grep -q "listening on" "$work/server-$round.out" && break; sleep 0.1; done
  endpoint="$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/server-$round.out" | head -1)"
  [ -n "$endpoint" ] || { cat "$work/server-$round.out" >&2; exit 1; }
  "$java" -cp "$cp" dev.vernier.bench.TrainingOverhead --endpoint "$endpoint" --image "$image" --engine podman \
      --work "$work/direct-$round" --jobs "$jobs" --parallel "$parallel" --name "round-$round" \
      --server-pid "$server_pid" --warmup "$warmup" --poll-millis "$poll" --blocks "$blocks" --data-dir "$data" 2>/dev/null | tee -a "$work/rows"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
# medians over the rounds of the last four columns
awk -F'|' '{ d[NR] = $11; v[NR] = $12; o[NR] = $13; l[NR] = $14; gsub(/[* ]/, "", o[NR]) }
  function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  END { n = NR; printf "medians over %d rounds: podman run %.0f ms, container job %.0f ms, per-job overhead %.0f ms, launch (CreationTime to wrapper start) %.1f ms\n", n, med(d, n), med(v, n), med(o, n), med(l, n) }' "$work/rows"
