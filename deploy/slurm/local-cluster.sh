#!/usr/bin/env bash
# A two-node Slurm cluster on this one machine, to try Vernier on Slurm and to test its Slurm backend.
#
#   sudo deploy/slurm/local-cluster.sh          install (Debian/Ubuntu: slurm-wlm, munge), configure, start, check
#   sudo deploy/slurm/local-cluster.sh stop     stop the daemons this script starts (slurmctld, slurmd, munged)
#
# Idempotent: when the cluster is up it only checks it (well under a second). The nodes nodeA and nodeB
# are two slurmd processes on this machine (NodeAddr 127.0.0.1, ports 6818 and 6819); each offers
# VERNIER_SLURM_CPUS CPUs (default 16: trivial jobs, oversubscribed) and the machine's memory.
# It writes /etc/slurm/slurm.conf only when there is none or it wrote it itself: it never takes over a
# real cluster's configuration. Logs: /var/log/slurm/. Needs root (the daemons run as root here).
set -euo pipefail

CONF=/etc/slurm/slurm.conf
MARK="# written by vernier deploy/slurm/local-cluster.sh"
LOGS=/var/log/slurm
NODES=(nodeA nodeB)
CPUS=${VERNIER_SLURM_CPUS:-16}

log() { echo "local-cluster: $*" >&2; }
die() { log "$*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (it installs packages and starts munged, slurmctld and slurmd)"
# The daemons keep the directory they start in as their working directory, and job steps inherit it:
# start them from / so that removing the directory this was run from does not break every job.
cd /

pidfile_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_all() {
  for f in /run/slurmd-nodeA.pid /run/slurmd-nodeB.pid /run/slurmctld.pid; do
    if pidfile_alive "$f"; then kill "$(cat "$f")"; log "stopped $(basename "$f" .pid)"; fi
  done
}

if [ "${1:-start}" = stop ]; then
  stop_all
  if pidfile_alive /run/munge/munged.pid; then kill "$(cat /run/munge/munged.pid)"; log "stopped munged"; fi
  exit 0
fi
[ "${1:-start}" = start ] || die "usage: $0 [start|stop]"

nodes_up() {
  # Every node answers and is usable (idle, mixed or allocated; not down, drained or not responding).
  local states
  states=$(sinfo --noheader --Node --format='%N %t' 2>/dev/null) || return 1
  for n in "${NODES[@]}"; do
    echo "$states" | grep -Eq "^$n (idle|mix|alloc|comp)\$" || return 1
  done
}

# Already running: nothing to do.
if command -v sinfo >/dev/null && pidfile_alive /run/slurmctld.pid && nodes_up; then
  log "the cluster is up"; exit 0
fi

# 1. Packages.
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
    || ! command -v munged >/dev/null || ! command -v mungekey >/dev/null; then
  log "installing slurm-wlm and munge"
  # Keep the packages' init scripts from starting daemons without a configuration.
  policy=/usr/sbin/policy-rc.d
  own_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod 755 "$policy"; own_policy=1
    trap 'rm -f "$policy"' EXIT
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Waits for another apt or dpkg to finish rather than failing.
  apt-get -o DPkg::Lock::Timeout=600 update -q
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends slurm-wlm munge
  if [ -n "$own_policy" ]; then rm -f "$policy"; trap - EXIT; fi
fi

# 2. munge: a key, and munged with a socket directory others can reach (mode 755).
mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
if [ ! -s /etc/munge/munge.key ]; then mungekey --create --keyfile=/etc/munge/munge.key; fi
chown munge:munge /etc/munge/munge.key /run/munge /var/lib/munge /var/log/munge
chmod 400 /etc/munge/munge.key
chmod 755 /run/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  log "starting munged"
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n | unmunge >/dev/null || die "munged does not answer"
fi

# 3. slurm.conf.
if [ -f "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
  die "$CONF exists and was not written by this script: not touching a real cluster's configuration"
fi
host=$(hostname -s)
mem_mb=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
mkdir -p /etc/slurm "$LOGS" /var/lib/slurm/slurmctld /var/lib/slurm/slurmd
new_conf=$(cat <<CONF
$MARK
ClusterName=vernier
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=6817
AuthType=auth/munge
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd/%n
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd-%n.pid
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$LOGS/jobcomp.log
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
EnforcePartLimits=ALL
# Two slurmd processes on one machine claim more than it has: the configuration is taken as given.
SlurmdParameters=config_overrides
ReturnToService=2
KillWait=10
MinJobAge=300
NodeName=nodeA NodeHostname=$host NodeAddr=127.0.0.1 Port=6818 CPUs=$CPUS RealMemory=$mem_mb State=UNKNOWN
NodeName=nodeB NodeHostname=$host NodeAddr=127.0.0.1 Port=6819 CPUs=$CPUS RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=nodeA,nodeB Default=YES MaxTime=INFINITE State=UP
CONF
)
if [ ! -f "$CONF" ] || [ "$(cat "$CONF")" != "$new_conf" ]; then
  log "writing $CONF"
  stop_all   # the daemons read it at start
  sleep 1
  printf '%s\n' "$new_conf" > "$CONF"
  chmod 644 "$CONF"
fi

# 4. Daemons, in the foreground (-D) of their own sessions, detached from this script.
if ! pidfile_alive /run/slurmctld.pid; then
  log "starting slurmctld"
  setsid slurmctld -D -i </dev/null >>"$LOGS/slurmctld.out" 2>&1 &
fi
for _ in $(seq 100); do scontrol ping >/dev/null 2>&1 && break; sleep 0.1; done
scontrol ping >/dev/null 2>&1 || die "slurmctld does not answer (see $LOGS/slurmctld.log)"
for n in "${NODES[@]}"; do
  mkdir -p "/var/lib/slurm/slurmd/$n"
  if ! pidfile_alive "/run/slurmd-$n.pid"; then
    log "starting slurmd $n"
    setsid slurmd -D -N "$n" </dev/null >>"$LOGS/slurmd-$n.out" 2>&1 &
  fi
done
for _ in $(seq 200); do nodes_up && break; sleep 0.1; done
if ! nodes_up; then
  # A node left down by an earlier run returns once told so.
  scontrol update NodeName=nodeA,nodeB State=RESUME 2>/dev/null || true
  for _ in $(seq 100); do nodes_up && break; sleep 0.1; done
fi
nodes_up || { sinfo -N >&2; die "the nodes are not up (see $LOGS/slurmd-*.log)"; }

# 5. A job on each node.
out=$(mktemp -d)
chmod 755 "$out"
for n in "${NODES[@]}"; do
  sbatch --quiet --wait --nodelist="$n" --job-name=vernier-check --output="$out/$n" --time=1 --wrap hostname \
    || die "a job on $n failed"
  [ "$(cat "$out/$n")" = "$(hostname)" ] || die "the job on $n wrote '$(cat "$out/$n")'"
done
rm -rf "$out"
log "the cluster is up: $(sinfo --noheader --Node --format='%N/%t' | tr '\n' ' ')"
