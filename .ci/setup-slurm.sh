#!/usr/bin/env bash
# CI: a two-node Slurm cluster on this machine for the Slurm backend's tests (idempotent, quick when up).
set -euo pipefail
exec "$(dirname "$0")/../deploy/slurm/local-cluster.sh" start </dev/null
