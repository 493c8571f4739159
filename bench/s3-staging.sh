#!/usr/bin/env bash
# Staging throughput from the server's S3 endpoint: the S3 object store (as a channel is staged)
# against `aws s3 cp --recursive` of the same objects from the same server, side by side, ROUNDS times.
# Usage: bench/s3-staging.sh [ROUNDS] [LARGE_FILES] [LARGE_MIB] [SMALL_FILES] [SMALL_KIB]
# Needs: vernier-server/target/vernier.jar and vernier-bench built (mvn -B -o -DskipTests package), the AWS CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}; large=${2:-16}; large_mib=${3:-16}; small=${4:-500}; small_kib=${5:-16}
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
work=$(mktemp -d /tmp/vernier-s3-bench.XXXXXX)
trap 'kill $server_pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
export VERNIER_ACCESS_KEY_ID=AKIABENCHS3STAGING00 VERNIER_SECRET_ACCESS_KEY=bench-secret-bench-secret-bench-secret-00
"$JAVA_HOME/bin/java" ${VERNIER_JAVA_OPTS:-} -jar vernier-server/target/vernier.jar server --port 0 --data-dir "$work/data" \
  > "$work/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do grep -q "served over S3 at" "$work/server.out" && break; sleep 0.1; done
endpoint=$(sed -n 's/.*served over S3 at \(http:[^,]*\),.*/\1/p' "$work/server.out" | head -1)
[ -n "$endpoint" ] || { cat "$work/server.out"; exit 1; }
export AWS_ACCESS_KEY_ID=$VERNIER_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$VERNIER_SECRET_ACCESS_KEY AWS_DEFAULT_REGION=us-east-1 \
  AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
mkdir -p "$work/src/large" "$work/src/small"
for i in $(seq 1 "$large"); do head -c $((large_mib << 20)) /dev/urandom > "$work/src/large/$i.bin"; done
for i in $(seq 1 "$small"); do head -c $((small_kib << 10)) /dev/urandom > "$work/src/small/$i.bin"; done
aws --endpoint-url "$endpoint" s3 mb s3://bench >/dev/null
aws --endpoint-url "$endpoint" s3 cp --recursive --quiet "$work/src" s3://bench/data/
total=$(du -sb "$work/src" | cut -f1)
echo "endpoint $endpoint; $large x $large_mib MiB + $small x $small_kib KiB = $total bytes; load $(cut -d' ' -f1-3 /proc/loadavg)"
CP=vernier-bench/target/classes:$(cat vernier-bench/target/classpath.txt)
for r in $(seq 1 "$rounds"); do
  rm -rf "$work/cli"
  start=$(date +%s.%N)
  aws --endpoint-url "$endpoint" s3 cp --recursive --only-show-errors s3://bench/data/ "$work/cli"
  end=$(date +%s.%N)
  echo "aws-cli round $r: $(echo "$end - $start" | bc) s, $(echo "scale=1; $total / ($end - $start) / 1048576" | bc) MiB/s"
  "$JAVA_HOME/bin/java" -cp "$CP" dev.vernier.bench.S3StagingSpeed "$endpoint" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" \
    s3://bench/data/ "$work/vernier" 1 | sed "s/round 1/round $r/"
  cmp -s <(cd "$work/cli" && find . -type f -exec md5sum {} + | sort -k2) <(cd "$work/vernier" && find . -type f -exec md5sum {} + | sort -k2) \
    || { echo "staged files differ"; exit 1; }
done
