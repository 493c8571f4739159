#!/usr/bin/env bash
# A large channel object staged from S3 and a large model artifact uploaded to S3, with every server's
# heap capped (see docs/benchmarks.md, "A 2 GB object and a 2 GB artifact in a small heap").
# Usage: bench/s3-large-object.sh [MIB=2048] [HEAP=256m]
# Two real servers (java -jar vernier.jar), each with -Xmx$HEAP and a GC log:
#   store:   the default directory store, served over S3 (its embedded S3Proxy receives and serves the bytes);
#   compute: s3-endpoint = the store's S3 endpoint, so its training job stages the channel with the
#            S3 object store and uploads model.tar.gz with it (multipart, 8 MiB parts).
# The AWS CLI uploads a MIB-MiB random object; one training job (bench/programs/large_artifact.sh) reads
# its channel and writes a MIB-MiB random model file. Sizes and MD5s are compared end to end. Needs
# about 5 x MIB of free disk under ${TMPDIR:-/tmp}; everything is removed at the end (KEEP=1 keeps it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mib=${1:-2048}; heap=${2:-256m}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
cd "$here"
if [ -z "${SKIP_BUILD:-}" ]; then mvn -q -B -o -pl vernier-server -am package -DskipTests >&2; fi
export VERNIER_ACCESS_KEY_ID=AKIABENCHLARGEOBJ000 VERNIER_SECRET_ACCESS_KEY=bench-secret-large-object-0123456789ab
export AWS_ACCESS_KEY_ID=$VERNIER_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$VERNIER_SECRET_ACCESS_KEY AWS_DEFAULT_REGION=us-east-1 \
  AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
work="$(mktemp -d "${TMPDIR:-/tmp}/vernier-large.XXXXXX")"; chmod o+x "$work"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
need=$((mib * 5 + 1024))
avail=$(df -Pm "$work" | awk 'NR == 2 { print $4 }')
[ "$avail" -ge "$need" ] || { echo "need $need MiB free under $work, have $avail" >&2; exit 1; }
now() { date +%s.%N; }
secs() { printf '%.1f' "$(echo "$2 - $1" | bc)"; }

# starts a server: NAME, then extra arguments; sets $endpoint (its API) and $s3 (its S3 endpoint, if any)
start_server() {
  local name=$1; shift
  "$JAVA_HOME/bin/java" -Xmx"$heap" -Xlog:gc:file="$work/$name-gc.log" -jar vernier-server/target/vernier.jar server \
    --port 0 --data-dir "$work/$name" "$@" > "$work/$name.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 600); do grep -q "listening on" "$work/$name.out" && break; sleep 0.1; done
  endpoint="$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/$name.out" | tail -1)"
  s3="$(sed -n 's/.*served over S3 at \(http:[^,]*\),.*/\1/p' "$work/$name.out" | head -1)"
  [ -n "$endpoint" ] || { cat "$work/$name.out" >&2; exit 1; }
}
# heap figures from a GC log (lines "... Pause Young (Normal) (G1 Evacuation Pause) 120M->30M(256M) 3.1ms")
heap_summary() {
  awk '/->/ { match($0, /([0-9]+)M->([0-9]+)M\(([0-9]+)M\)/, m); if (m[1] > b) b = m[1]; if (m[2] > a) a = m[2];
              if (m[3] > c) c = m[3]; n++ }
       END { printf "%d GCs, peak used %d MiB (before a GC), peak after a GC %d MiB, committed at most %d MiB", n, b, a, c }' "$1"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "object and artifact: $mib MiB each; every server -Xmx$heap"
start_server store
store_pid=${pids[-1]}; store_api=$endpoint; store_s3=$s3
[ -n "$store_s3" ] || { echo "the store server serves no S3 endpoint" >&2; cat "$work/store.out" >&2; exit 1; }
start_server compute --s3-endpoint "$store_s3" --s3-access-key-id "$AWS_ACCESS_KEY_ID" --s3-secret-access-key "$AWS_SECRET_ACCESS_KEY"
compute_pid=${pids[-1]}; compute_api=$endpoint

head -c $((mib << 20)) /dev/urandom > "$work/big.bin"
source_md5=$(md5sum < "$work/big.bin" | cut -d' ' -f1)
aws --endpoint-url "$store_s3" s3 mb s3://data > /dev/null
aws --endpoint-url "$store_s3" s3 mb s3://out > /dev/null
t0=$(now)
aws --endpoint-url "$store_s3" s3 cp --only-show-errors "$work/big.bin" s3://data/train/big.bin
t1=$(now)
rm "$work/big.bin"
echo "aws s3 cp of the object into the store's S3 endpoint: $(secs "$t0" "$t1") s"

cat > "$work/job.json" <<JSON
{
  "HyperParameterTuningJobName": "large",
  "HyperParameterTuningJobConfig": {
    "Strategy": "Random",
    "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "loss"},
    "ResourceLimits": {"MaxNumberOfTrainingJobs": 1, "MaxParallelTrainingJobs": 1},
    "ParameterRanges": {"ContinuousParameterRanges": [{"Name": "lr", "MinValue": "0.001", "MaxValue": "0.1"}]}
  },
  "TrainingJobDefinition": {
    "AlgorithmSpecification": {
      "TrainingImage": "file://$here/bench/programs/large_artifact.sh",
      "TrainingInputMode": "File",
      "MetricDefinitions": [{"Name": "loss", "Regex": "loss=([0-9.eE+-]+)"}]
    },
    "Environment": {"MODEL_BYTES": "$((mib << 20))"},
    "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {
        "S3DataType": "S3Prefix", "S3Uri": "s3://data/train/", "S3DataDistributionType": "FullyReplicated"}}}],
    "RoleArn": "arn:aws:iam::123456789012:role/vernier",
    "OutputDataConfig": {"S3OutputPath": "s3://out/models"},
    "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
    "StoppingCondition": {"MaxRuntimeInSeconds": 7200}
  }
}
JSON
created=$(now)
aws sagemaker create-hyper-parameter-tuning-job --endpoint-url "$compute_api" --cli-input-json "file://$work/job.json" > /dev/null
until status=$(aws sagemaker describe-hyper-parameter-tuning-job --endpoint-url "$compute_api" --hyper-parameter-tuning-job-name large \
      --query HyperParameterTuningJobStatus --output text) && [ "$status" != InProgress ]; do sleep 1; done
ended=$(now)
job=$(aws sagemaker list-training-jobs-for-hyper-parameter-tuning-job --endpoint-url "$compute_api" \
      --hyper-parameter-tuning-job-name large --query 'TrainingJobSummaries[0].TrainingJobName' --output text)
log=$(find "$work/compute/jobs" -name training.log | head -1)
[ "$status" = Completed ] || { echo "tuning job $status"; cat "$log"; aws sagemaker describe-training-job \
    --endpoint-url "$compute_api" --training-job-name "$job" --query FailureReason; exit 1; }
field() { awk -v k="$1" '$1 == k { print $2 }' "$log"; }
channel=$(awk '$1 == "channel" { print $3, $4 }' "$log")
model=$(awk '$1 == "model" { print $3, $4 }' "$log")
artifact="$work/store/s3/out/models/$job/output/model.tar.gz"
artifact_size=$(aws --endpoint-url "$store_s3" s3api head-object --bucket out --key "models/$job/output/model.tar.gz" \
                --query ContentLength --output text)
unpacked=$(tar -xzOf "$artifact" model.bin | tee >(wc -c > "$work/unpacked.size") | md5sum | cut -d' ' -f1)
check() { if [ "$1" = "$2" ]; then echo equal; else echo "DIFFERENT ($1 vs $2)"; fi; }

echo "staged channel object: size and MD5 $(check "$channel" "$((mib << 20)) $source_md5")"
echo "model.tar.gz over S3: $artifact_size bytes (file: $(stat -c %s "$artifact")); model.bin inside it: size and MD5 $(check \
     "$(cat "$work/unpacked.size") $unpacked" "$model")"
echo "from Create to the program's start (staging $mib MiB over S3): $(secs "$created" "$(field program-start)") s"
echo "program (reads the channel, writes the model): $(secs "$(field program-start)" "$(field program-end)") s"
echo "from the program's end to the tuning job Completed (packing and uploading model.tar.gz; 1 s polling): $(secs \
     "$(field program-end)" "$ended") s"
for name in store compute; do
  pid=$([ $name = store ] && echo "$store_pid" || echo "$compute_pid")
  echo "$name server: $(heap_summary "$work/$name-gc.log"); RSS peak $(awk '$1 == "VmHWM:" { print int($2 / 1024) }' \
       "/proc/$pid/status") MiB"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
