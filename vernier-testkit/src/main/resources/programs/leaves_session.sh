#!/bin/sh
# Starts a process in a session of its own (setsid: out of the job's process group) that ignores
# SIGTERM and writes a line to the log every 100 ms, reports a loss, then exits 0; with the
# hyperparameter wait set, it waits for SIGTERM first. Whatever runs the job must kill that process
# with the job: a log that still grows after the job's end shows that it lives on.
setsid sh -c 'trap "" TERM; i=0; while :; do i=$((i+1)); echo "escaped $i"; sleep 0.1; done' </dev/null &
sleep 0.3
echo "loss=0.1"
if [ -n "$SM_HP_WAIT" ]; then
  trap 'exit 0' TERM
  while :; do sleep 0.1; done
fi
exit 0
