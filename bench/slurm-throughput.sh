#!/usr/bin/env bash
# Slurm backend benchmark (docs/benchmarks.md, "Slurm backend throughput"): JOBS trivial training jobs
# through Vernier on Slurm, PARALLEL at a time, against the same jobs submitted with sbatch by a script
# that keeps PARALLEL in flight, alternating, ROUNDS times each, on the cluster that
# deploy/slurm/local-cluster.sh starts (or any this machine's Slurm tools reach).
# Usage: bench/slurm-throughput.sh [ROUNDS=3] [JOBS=100] [PARALLEL=10]
# Both sides run bench/programs/one_metric.sh under the same sbatch options (1 node, 1 task, 2 CPUs and
# 8 GiB as ml.m5.large, --no-requeue, only PATH, HOME, USER and LANG exported) and learn that a job
# ended from a file it writes (the script: polling every 50 ms; Vernier: its wrapper's exit_code file).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=${1:-3}; jobs=${2:-100}; parallel=${3:-10}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
cd "$here"
if [ -z "${SKIP_BUILD:-}" ]; then mvn -q -B -pl vernier-server -am package -DskipTests >&2; fi
export VERNIER_ACCESS_KEY_ID=AKIABENCHBENCHBENCH0 VERNIER_SECRET_ACCESS_KEY=bench-secret-key-0123456789abcdefghijkl
mkdir -p "${BENCH_WORK:=$here/vernier-bench/target}"
work="$(mktemp -d "$BENCH_WORK/vernier-slurm.XXXXXX")"
program="$here/bench/programs/one_metric.sh"
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; scancel --name=vernier-bench-direct 2>/dev/null; rm -rf "$work"' EXIT
options=(--nodes=1 --ntasks=1 --cpus-per-task=2 --mem=8192M --time=62 --export=ALL --no-requeue)

now_ms() { date +%s%3N; }

direct() {   # prints the wall time in ms
  local dir="$work/direct-$1" submitted=0 done=0 running=() t0 still i
  mkdir -p "$dir"
  t0=$(now_ms)
  while [ "$done" -lt "$jobs" ]; do
    while [ "${#running[@]}" -lt "$parallel" ] && [ "$submitted" -lt "$jobs" ]; do
      i=$submitted; mkdir -p "$dir/$i"
      env -i PATH="$PATH" HOME="$HOME" USER="${USER:-}" LANG="${LANG:-C}" sbatch --parsable --quiet --job-name=vernier-bench-direct --chdir="$dir/$i" --output="$dir/$i/log" "${options[@]}" \
        --wrap="SM_HP_LR=0.$i $program train; echo \$? > exit_code" >/dev/null
      running+=("$i"); submitted=$((submitted + 1))
    done
    sleep 0.05
    still=()
    for i in "${running[@]}"; do
      if [ -e "$dir/$i/exit_code" ]; then done=$((done + 1)); else still+=("$i"); fi
    done
    running=("${still[@]+"${still[@]}"}")
  done
  echo $(( $(now_ms) - t0 ))
}

vernier() {   # prints "<CreationTime→EndTime ms> <client-observed ms>"
  local data="$work/data-$1" endpoint
  mkdir -p "$data"
  "$JAVA_HOME/bin/java" -jar vernier-server/target/vernier.jar server --port 0 --data-dir "$data" --backend slurm \
      --max-concurrent-training-jobs "$parallel" > "$work/server-$1.out" 2>&1 &
  server_pid=$!
  for _ in $(seq 600); do grep -q "listening on" "$work/server-$1.out" && break; sleep 0.1; done
  endpoint="$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/server-$1.out" | head -1)"
  [ -n "$endpoint" ] || { cat "$work/server-$1.out" >&2; exit 1; }
  python3 - "$endpoint" "$program" "$jobs" "$parallel" "round-$1" <<'PY'
import sys, time, boto3
endpoint, program, jobs, parallel, name = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
sm = boto3.client("sagemaker", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id="AKIABENCHBENCHBENCH0", aws_secret_access_key="bench-secret-key-0123456789abcdefghijkl")
t0 = time.time()
sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobName=name, HyperParameterTuningJobConfig={
    "Strategy": "Random", "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "loss"},
    "ResourceLimits": {"MaxNumberOfTrainingJobs": jobs, "MaxParallelTrainingJobs": parallel},
    "ParameterRanges": {"ContinuousParameterRanges": [{"Name": "lr", "MinValue": "0.001", "MaxValue": "0.1"}]}},
  TrainingJobDefinition={"AlgorithmSpecification": {"TrainingImage": "file://" + program, "TrainingInputMode": "File",
      "MetricDefinitions": [{"Name": "loss", "Regex": "loss=([0-9.]+)"}]},
    "RoleArn": "arn:aws:iam::123456789012:role/bench", "OutputDataConfig": {"S3OutputPath": "s3://bench/out"},
    "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
    "StoppingCondition": {"MaxRuntimeInSeconds": 3600}})
while True:
    d = sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)
    if d["HyperParameterTuningJobStatus"] not in ("InProgress", "Stopping"): break
    time.sleep(0.05)
wall = time.time() - t0
c = d["TrainingJobStatusCounters"]
assert d["HyperParameterTuningJobStatus"] == "Completed" and c["Completed"] == jobs, d
print(round((d["HyperParameterTuningEndTime"] - d["CreationTime"]).total_seconds() * 1000), round(wall * 1000))
PY
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(sinfo --noheader --Node --format='%N:%c CPUs' | tr '\n' ' ')"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$jobs jobs, $parallel at a time"
echo "| round | sbatch script (ms) | Vernier CreationTime→EndTime (ms) | Vernier, client-observed (ms) | Vernier / script |"
echo "|---|---|---|---|---|"
for round in $(seq "$rounds"); do
  d=$(direct "$round")
  vernier "$round" > "$work/vernier-$round.txt"   # not in a subshell: the trap must see the server's pid
  read -r v c < "$work/vernier-$round.txt"
  echo "| $round | $d | $v | $c | $(awk -v v="$v" -v d="$d" 'BEGIN { printf "%.3f", v / d }') |"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
