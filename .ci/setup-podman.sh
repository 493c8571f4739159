#!/usr/bin/env bash
# Installs and configures podman for the container backend's tests (idempotent, as root, no stdin).
#
# What this machine needs, and why:
# - runc rather than crun: cgroups here are hybrid (v1 controllers, v2 unified), where crun does not run containers;
# - cgroupfs and a file events log: there is no systemd;
# - ulimits that root may grant here: podman raises nofile and nproc for every container by default,
#   which fails here (root cannot raise them). The backend passes nofile=20000:20000 and
#   nproc=32768:32768 (its container-ulimits setting); containers.conf gets the same ones so that a
#   plain `podman run` works too;
# - busybox-static: the tests build their images from a busybox root (no registry is reachable).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

need=()
command -v podman >/dev/null || need+=(podman)
command -v runc >/dev/null || need+=(runc)
command -v conmon >/dev/null && [ -x /usr/bin/conmon ] || need+=(conmon)
[ -x /usr/bin/python3 ] || need+=(python3)   # tools/image-from-host.sh --python copies it into the script-mode test image
[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx ash || need+=(busybox-static)
[ -d /usr/lib/cni ] || [ -x /usr/lib/podman/netavark ] || need+=(containernetworking-plugins)
command -v iptables >/dev/null || need+=(iptables)
if [ ${#need[@]} -gt 0 ]; then
  apt-get -o DPkg::Lock::Timeout=600 update -q
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${need[@]}"
fi

# The limits the backend passes by default (its container-ulimits setting), capped by this shell's own.
nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
{ [ "$nofile" = unlimited ] || [ "$nofile" -gt 20000 ]; } && nofile=20000
{ [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
mkdir -p /etc/containers
conf=/etc/containers/containers.conf.d
mkdir -p "$conf"
cat > "$conf/50-vernier.conf" <<CONF
# Written by vernier's .ci/setup-podman.sh
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF

podman --version
podman info --format '{{.Host.OCIRuntime.Name}} {{.Host.CgroupsVersion}} {{.Store.GraphDriverName}}'
