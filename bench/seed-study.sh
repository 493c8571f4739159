#!/usr/bin/env bash
# Issue 4: a strategy variant on many seeds, compared seed by seed with a baseline (docs/benchmarks.md,
# "What we tried"). The 15-seed median of a bimodal problem such as Hartmann-6 is mostly seed luck,
# so variants are judged on 60 seeds and on the paired difference among runs that found the global basin.
# Usage: bench/seed-study.sh NAME [JAVA_OPTS] [STRATEGY_BENCHMARK_ARGS: one problem, one --parallel value]
#   runs StrategyBenchmark on seeds 0-59 (default: --problems Hartmann-6 --parallel 4) and keeps each
#   seed's final regret in vernier-bench/target/seed-study/NAME.txt; then
#   bench/seed-study.py BASELINE NAME... prints medians (seeds 0-14, 0-29, 0-59), runs stuck in a
#   local minimum, and the mean log10 ratio to BASELINE over the seeds where both found the basin.
# Example: bench/seed-study.sh base; bench/seed-study.sh seq "" "--problems Hartmann-6 --parallel 1"
#          bench/seed-study.sh batch "" "--problems Hartmann-6 --parallel 4 --schedule batch"
#          bench/seed-study.py base seq batch
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
name=$1; opts=${2:-}; args=${3:---problems Hartmann-6 --parallel 4}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
cd "$here"
[ -n "${SKIP_BUILD:-}" ] || mvn -q -B -pl vernier-bench -am package -DskipTests >&2
cp="vernier-bench/target/classes:$(cat vernier-bench/target/classpath.txt)"
mkdir -p vernier-bench/target/seed-study
# shellcheck disable=SC2086 # options and arguments are word lists
"$JAVA_HOME/bin/java" $opts -Dvernier.bench.perSeed=true -cp "$cp" dev.vernier.bench.StrategyBenchmark \
    --seeds 60 --evals 50 --strategy Bayesian $args | grep '^per seed' | sed 's/.*: \[//; s/\]//' \
    > "vernier-bench/target/seed-study/$name.txt"
lines=$(wc -l < "vernier-bench/target/seed-study/$name.txt")
[ "$lines" = 1 ] || { echo "seed-study: give one problem and one --parallel value ($lines runs came back)" >&2; exit 2; }
echo "vernier-bench/target/seed-study/$name.txt"
