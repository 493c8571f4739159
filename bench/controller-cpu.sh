#!/usr/bin/env bash
# Server CPU per second while two training jobs run that print one metric line a second (see docs/benchmarks.md,
# "Quieter passes"): starts a server (local backend), creates a 4-job tuning job, 2 at a time, waits 8 s, then
# reads the server JVM's CPU time (/proc/PID/stat) over 15 s. Extra arguments are the server JVM's options.
# Needs vernier-server/target/vernier.jar (mvn -q -B -pl vernier-server -am package -DskipTests) and the AWS CLI.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
work="$(mktemp -d)"; chmod 755 "$work"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
cat > "$work/sleepy.sh" <<'PROGRAM'
#!/bin/sh
for i in $(seq 30); do echo "loss=0.$i"; sleep 1; done
PROGRAM
chmod 755 "$work/sleepy.sh"
cat > "$work/job.json" <<JSON
{"HyperParameterTuningJobName": "controller-cpu",
 "HyperParameterTuningJobConfig": {"Strategy": "Random",
   "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "loss"},
   "ResourceLimits": {"MaxNumberOfTrainingJobs": 4, "MaxParallelTrainingJobs": 2},
   "ParameterRanges": {"ContinuousParameterRanges": [{"Name": "lr", "MinValue": "0.001", "MaxValue": "1"}]}},
 "TrainingJobDefinition": {"AlgorithmSpecification": {"TrainingImage": "file://$work/sleepy.sh", "TrainingInputMode": "File",
   "MetricDefinitions": [{"Name": "loss", "Regex": "loss=([0-9.]+)"}]},
   "RoleArn": "arn:aws:iam::000000000000:role/bench", "OutputDataConfig": {"S3OutputPath": "s3://bench/out"},
   "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
   "StoppingCondition": {"MaxRuntimeInSeconds": 300}}}
JSON
export VERNIER_ACCESS_KEY_ID=AKIABENCHBENCHBENCH0 VERNIER_SECRET_ACCESS_KEY=bench-secret-key-0123456789abcdefghijkl
export AWS_ACCESS_KEY_ID=$VERNIER_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$VERNIER_SECRET_ACCESS_KEY AWS_DEFAULT_REGION=us-east-1
"$java" "$@" -jar "$here/vernier-server/target/vernier.jar" server --port 0 --data-dir "$work/data" > "$work/out" 2>&1 &
pid=$!
for _ in $(seq 300); do grep -q "listening on" "$work/out" && break; sleep 0.1; done
endpoint="$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/out" | head -1)"
[ -n "$endpoint" ] || { cat "$work/out" >&2; exit 1; }
aws --endpoint-url "$endpoint" sagemaker create-hyper-parameter-tuning-job --cli-input-json "file://$work/job.json" > /dev/null
sleep 8
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
a=$(cpu); sleep 15; b=$(cpu)
echo "server CPU while two jobs run: $(( (b - a) * 10 / 15 )) ms per second (load $(cut -d' ' -f1-3 /proc/loadavg))"
