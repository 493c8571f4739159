#!/usr/bin/env bash
# SQLite and PostgreSQL side by side, alternating so that the machine's load drifts hit both:
# Describe throughput and p99 (bench/describe-throughput.sh) and the overhead per training job
# (bench/training-overhead.sh), each store ROUNDS times, on a fresh schema per PostgreSQL run.
#
#   bench/store-side-by-side.sh [ROUNDS=2] [DATABASE=postgresql://postgres@127.0.0.1:5432/test]
#
# Env: DESCRIBE_ARGS (default "--jobs 300 --concurrency 16 --duration 15 --runs 3 --warmup 5"),
# OVERHEAD_ARGS (default "1 200 10 100": one round of training-overhead.sh per store and round).
# Needs psql to drop the schemas it made. The jar and the bench classes must be built
# (mvn -B -pl vernier-server,vernier-bench -am package -DskipTests).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rounds=${1:-2}; database=${2:-postgresql://postgres@127.0.0.1:5432/test}
describe_args=${DESCRIBE_ARGS:---jobs 300 --concurrency 16 --duration 15 --runs 3 --warmup 5}
overhead_args=${OVERHEAD_ARGS:-1 200 10 100}
psql_url="${database/postgresql:/postgres:}"   # psql takes postgres:// URLs
schemas=()
trap 'for s in "${schemas[@]}"; do psql -q "$psql_url" -c "DROP SCHEMA IF EXISTS $s CASCADE" >/dev/null 2>&1 || true; done' EXIT

echo "machine: $(nproc) cores; load at start: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%F %T') UTC"
for round in $(seq "$rounds"); do
  for store in sqlite postgresql; do
    echo "=== round $round, $store: Describe ($describe_args), load $(cut -d' ' -f1-3 /proc/loadavg)"
    describe_schema="bench_describe_$$_$round" overhead_schema="bench_overhead_$$_$round"
    [ "$store" = sqlite ] || schemas+=("$describe_schema" "$overhead_schema")
    if [ "$store" = sqlite ]; then
      # shellcheck disable=SC2086
      "$here/describe-throughput.sh" $describe_args 2>&1
    else
      # shellcheck disable=SC2086
      "$here/describe-throughput.sh" $describe_args --database "$database?currentSchema=$describe_schema" 2>&1
    fi
    echo "=== round $round, $store: per-job overhead ($overhead_args), load $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ "$store" = sqlite ]; then
      # shellcheck disable=SC2086
      SKIP_BUILD=1 "$here/training-overhead.sh" $overhead_args
    else
      # shellcheck disable=SC2086
      SKIP_BUILD=1 VERNIER_DATABASE="$database?currentSchema=$overhead_schema" \
          "$here/training-overhead.sh" $overhead_args
    fi
  done
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%F %T') UTC"
