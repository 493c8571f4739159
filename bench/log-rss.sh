#!/usr/bin/env bash
# Peak server RSS while one training job prints a huge log (see docs/benchmarks.md).
# Usage: bench/log-rss.sh [BYTES=1073741824] [LINE]   (LINE: what the program prints, e.g. a metric line)
# A real server (java -jar vernier.jar, default JVM options) runs one tuning job of one training job
# whose program prints BYTES of output (bench/programs/prints_a_lot.sh); the server's RSS is read
# from /proc: VmRSS when idle, VmHWM (the peak) once the job has completed, VmRSS after.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bytes=${1:-1073741824}; line=${2:-}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
cd "$here"
if [ -z "${SKIP_BUILD:-}" ]; then mvn -q -B -o -pl vernier-server -am package -DskipTests >&2; fi
export VERNIER_ACCESS_KEY_ID=AKIABENCHBENCHBENCH0 VERNIER_SECRET_ACCESS_KEY=bench-secret-key-0123456789abcdefghijkl
export AWS_ACCESS_KEY_ID=$VERNIER_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$VERNIER_SECRET_ACCESS_KEY AWS_DEFAULT_REGION=us-east-1
work="$(mktemp -d /tmp/vernier-rss.XXXXXX)"; chmod o+x "$work"; data="$work/data"
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
kb() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$server_pid/status"; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" ${VERNIER_JAVA_OPTS:-} -jar "${JAR:-vernier-server/target/vernier.jar}" server --port 0 --data-dir "$data" > "$work/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 600); do grep -q "listening on" "$work/server.out" && break; sleep 0.1; done
endpoint="$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/server.out" | tail -1)"
[ -n "$endpoint" ] || { cat "$work/server.out" >&2; exit 1; }
sleep 5
idle=$(kb VmRSS)
sed -e "s#file://PROGRAM#file://$here/bench/programs/prints_a_lot.sh#" -e 's#"MaxNumberOfTrainingJobs": 2, "MaxParallelTrainingJobs": 2#"MaxNumberOfTrainingJobs": 1, "MaxParallelTrainingJobs": 1#' \
    -e "s#\"EPOCH_SECONDS\": \"0.05\"#\"BYTES\": \"$bytes\"${line:+, \"LINE\": \"$line\"}#" bench/heap-template.json > "$work/job.json"
start=$(date +%s.%N)
aws sagemaker create-hyper-parameter-tuning-job --endpoint-url "$endpoint" --cli-input-json "file://$work/job.json" > /dev/null
until status=$(aws sagemaker describe-hyper-parameter-tuning-job --endpoint-url "$endpoint" --hyper-parameter-tuning-job-name template \
      --query HyperParameterTuningJobStatus --output text) && [ "$status" != InProgress ]; do sleep 1; done
seconds=$(echo "$(date +%s.%N) - $start" | bc)
peak=$(kb VmHWM); sleep 5; after=$(kb VmRSS)
log=$(find "$data/jobs" -name training.log -exec du -b {} + | cut -f1)
echo "tuning job: $status in ${seconds%.*} s; $bytes bytes printed; log on disk: $log bytes"
echo "| server RSS idle (MiB) | peak (VmHWM, MiB) | peak above idle (MiB) | 5 s after (MiB) |"
echo "|---|---|---|---|"
echo "| $((idle / 1024)) | $((peak / 1024)) | $(((peak - idle) / 1024)) | $((after / 1024)) |"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
