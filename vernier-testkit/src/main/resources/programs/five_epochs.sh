#!/bin/sh
# Exactly five epochs, EPOCH_SECONDS apart (default 0.3): "epoch=N loss=X" with
# X = 1000 (lr - 0.05)^2 + 1/N. For the crash test: appends "<job> <lr> <pid>" to $RUNS_FILE (if
# set) when it starts, so a test can tell how often each job really ran; and while the file
# $HOLD_FILE exists it waits before printing the next epoch, so a test can keep it alive.
[ "$1" = "train" ] || { echo "expected 'train'" >&2; exit 64; }
lr=${SM_HP_LR:-0}
[ -n "$RUNS_FILE" ] && echo "$TRAINING_JOB_NAME $lr $$" >> "$RUNS_FILE"
for epoch in 1 2 3 4 5; do
  sleep "${EPOCH_SECONDS:-0.3}"
  while [ -n "$HOLD_FILE" ] && [ -e "$HOLD_FILE" ]; do sleep 0.05; done
  awk -v lr="$lr" -v e="$epoch" 'BEGIN { printf "epoch=%d loss=%.8f\n", e, 1000 * (lr - 0.05) ^ 2 + 1 / e }'
done
