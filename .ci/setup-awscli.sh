#!/usr/bin/env bash
# The AWS CLI, for the tests that upload to the server's S3 endpoint with it. Idempotent, fast when present.
set -euo pipefail
command -v aws >/dev/null && exit 0
apt-get update -q
apt-get install -y -q awscli || { apt-get install -y -q python3-pip && pip3 install --break-system-packages awscli; }
command -v aws >/dev/null
