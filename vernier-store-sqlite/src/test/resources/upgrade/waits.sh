#!/bin/sh
# The training program of v3-inprogress: reports two epochs, then waits until $GO_FILE exists
# (created once the old server has stopped) or ten minutes have passed, and ends.
[ "$1" = "train" ] || { echo "expected 'train'" >&2; exit 64; }
echo "epoch=1 loss=3.5"
echo "epoch=2 loss=2.5"
i=0
while [ ! -e "$GO_FILE" ] && [ "$i" -lt 6000 ]; do sleep 0.1; i=$((i + 1)); done
echo "epoch=3 loss=1.5"
