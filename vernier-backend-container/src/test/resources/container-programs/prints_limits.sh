#!/bin/sh
# Prints the CPU and memory limits of its container (cgroup v1 or v2) and what SageMaker's variables say.
echo "SM_NUM_CPUS=$SM_NUM_CPUS SM_NUM_GPUS=$SM_NUM_GPUS"
if [ -f /sys/fs/cgroup/cpu.max ]; then echo "cpu.max=$(cat /sys/fs/cgroup/cpu.max)"; fi
if [ -f /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
  echo "cpu.max=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)"
fi
if [ -f /sys/fs/cgroup/memory.max ]; then echo "memory.max=$(cat /sys/fs/cgroup/memory.max)"; fi
if [ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
  echo "memory.max=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
fi
echo "instance=$(tr -d '\n ' < "$SM_INPUT_CONFIG_DIR/resourceconfig.json")"
