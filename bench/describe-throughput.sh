#!/usr/bin/env bash
# Describe throughput/latency benchmark (issue 2): DescribeHyperParameterTuningJob against a server
# holding JOBS stored tuning jobs, SigV4-signed requests, load client in a separate process.
#
#   bench/describe-throughput.sh [--jobs 1000] [--concurrency "8 32 64"] [--duration 20] [--runs 3]
#                                [--warmup 10] [--wrk-threads 1] [--template FILE] [--java]
#                                [--database postgresql://user@host:port/db?currentSchema=NAME]
#
# Steps: build the jar if needed; start `vernier server --port 0` on a fresh temp data dir with known
# keys; create JOBS tuning jobs (boto3); then for each concurrency: pre-sign one Describe per job
# (botocore SigV4Auth), warm up, and run `wrk` RUNS times for DURATION seconds cycling over those
# requests. Prints one line per run and the median per concurrency. With --java it also runs
# dev.vernier.bench.DescribeLoad, which signs every request live with the AWS SDK's signer.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

jobs=1000 concurrency="8 32 64" duration=20 runs=3 warmup=10 wrk_threads=1 java_client=0 database=""
template="$root/vernier-testkit/src/main/resources/requests/create-minimal.json"
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --wrk-threads) wrk_threads="$2"; shift 2 ;;
    --template) template="$2"; shift 2 ;;
    --java) java_client=1; shift ;;
    --database) database="$2"; shift 2 ;;   # a PostgreSQL URL; default: SQLite in the temp data dir
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if ! command -v wrk >/dev/null 2>&1; then
  echo "installing wrk (apt-get install -y wrk) ..." >&2
  if ! { apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1; }; }; then
    echo "wrk is not available; falling back to the Java load client" >&2
    java_client=2
  fi
fi

work="$(mktemp -d /tmp/vernier-bench.XXXXXX)"
chmod o+x "$work"   # training programs run as the job user (nobody), who must reach the job directories
export VERNIER_ACCESS_KEY_ID=AKIAVERNIERBENCH0001
export VERNIER_SECRET_ACCESS_KEY=benchSecretKeyForDescribeThroughput00001
# The template's image runs /bin/true: each tuning job's 4 training jobs end at once without an
# objective, so every tuning job is Failed (a finished job with counters) before the load starts.
export VERNIER_IMAGES="vernier/train:latest=/bin/true"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- server -------------------------------------------------------------------------------------
"$root/vernier" server --port 0 --data-dir "$work/data" ${database:+--database "$database"} >"$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 600); do   # up to 60 s (includes a build when the jar is stale)
  port="$(sed -n 's|^Vernier is listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/server.log")"
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
# the launcher execs java, so $server_pid is the JVM
endpoint="http://127.0.0.1:$port"
echo "server pid $server_pid at $endpoint; $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- data ---------------------------------------------------------------------------------------
t0=$(date +%s.%N)
python3 "$here/describe_setup.py" create "$endpoint" "$jobs" "$template"
echo "created $jobs tuning jobs in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s from $(basename "$template")"
python3 "$here/describe_setup.py" settle "$endpoint" "$jobs"
echo "all tuning jobs finished after $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"

server_cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
ticks_per_second="$(getconf CLK_TCK)"
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }

# --- wrk ----------------------------------------------------------------------------------------
if [ "$java_client" != 2 ]; then
  echo
  echo "wrk, $wrk_threads thread(s), ${duration}s runs, requests pre-signed with botocore SigV4Auth"
  printf '%-12s %10s %9s %9s %9s %9s %14s\n' connections "calls/s" "p50 ms" "p90 ms" "p99 ms" "max ms" "server CPU/call"
  for c in $concurrency; do
    python3 "$here/describe_setup.py" presign "$endpoint" "$jobs" "$work/requests.lua"
    t=$(( c < wrk_threads ? c : wrk_threads ))
    wrk -t"$t" -c"$c" -d"${warmup}s" -s "$here/describe.lua" "$endpoint" -- "$work/requests.lua" >/dev/null
    : >"$work/results-$c"
    for r in $(seq 1 "$runs"); do
      before=$(server_cpu_ticks)
      line="$(wrk -t"$t" -c"$c" -d"${duration}s" -s "$here/describe.lua" "$endpoint" -- "$work/requests.lua" \
              | grep '^RESULT')"
      calls="$(echo "$line" | field requests)"
      line="$line server_cpu_us_per_call=$(( ($(server_cpu_ticks) - before) * 1000000 / ticks_per_second / calls ))"
      echo "  run $r c=$c: ${line#RESULT } load=$(cut -d' ' -f1 /proc/loadavg)" >&2
      echo "$line" >>"$work/results-$c"
      case "$line" in *" non2xx=0 socket_errors=0 "*) ;; *) echo "  (errors in this run!)" >&2 ;; esac
    done
    printf '%-12s %10s %9s %9s %9s %9s %12s us\n' "$c" \
      "$(field rps <"$work/results-$c" | median)" "$(field p50_ms <"$work/results-$c" | median)" \
      "$(field p90_ms <"$work/results-$c" | median)" "$(field p99_ms <"$work/results-$c" | median)" \
      "$(field max_ms <"$work/results-$c" | median)" "$(field server_cpu_us_per_call <"$work/results-$c" | median)"
  done
fi

# --- Java client (signs live) -------------------------------------------------------------------
if [ "$java_client" != 0 ]; then
  cp_file="$root/vernier-bench/target/classpath.txt"
  if [ ! -f "$cp_file" ] || [ -n "$(find "$root/vernier-bench/src" -newer "$cp_file" -print -quit)" ]; then
    (cd "$root" && mvn -q -B -DskipTests -pl vernier-bench -am package >&2)
  fi
  echo
  echo "Java DescribeLoad (raw keep-alive sockets, AwsV4HttpSigner signs each request live), ${duration}s runs"
  printf '%-12s %10s %9s %9s %9s %9s\n' connections "calls/s" "p50 ms" "p90 ms" "p99 ms" "max ms"
  for c in $concurrency; do
    "$JAVA_HOME/bin/java" -cp "$root/vernier-bench/target/classes:$(cat "$cp_file")" \
      dev.vernier.bench.DescribeLoad --endpoint "$endpoint" --jobs "$jobs" --connections "$c" \
      --warmup "$warmup" --duration "$duration" --runs "$runs" --server-pid "$server_pid"
  done
fi

echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
