#!/usr/bin/env bash
# Installs Debian's docker.io and starts its daemon, for the container backend's tests on Docker
# (idempotent, as root, no stdin). Runs after .ci/setup-podman.sh, whose setup it leaves alone.
#
# What this machine needs, and why:
# - no systemd: dockerd is started by hand, in the background (setsid), its log in /var/log/vernier-dockerd.log;
# - cgroups are hybrid and root cannot raise rlimits: dockerd 20.10 runs with both as they are (the backend
#   passes its --ulimit values, container-ulimits, to every container);
# - its iptables rules (FORWARD policy DROP, DOCKER chains) come after podman's CNI rules, which keep working.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
  apt-get -o DPkg::Lock::Timeout=600 update -q
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends docker.io
fi

if ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  setsid dockerd --host unix:///var/run/docker.sock >>/var/log/vernier-dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 120); do
    docker version --format '{{.Server.Version}}' >/dev/null 2>&1 && break
    sleep 0.5
  done
fi
docker version --format 'docker {{.Server.Version}}' || { tail -20 /var/log/vernier-dockerd.log >&2; exit 1; }
docker info --format '{{.Driver}} {{.CgroupVersion}} {{.CgroupDriver}}'
