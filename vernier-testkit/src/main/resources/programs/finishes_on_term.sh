#!/bin/sh
# Prints three metric points, then waits; on SIGTERM prints three more, saves its model and exits 0.
# It ends only when asked to, so a test can hold it at a known point through a backend's interface.
trap 'for step in 4 5 6; do echo "step=$step loss=$step.5"; done; echo saved > "$SM_MODEL_DIR/model.bin"; exit 0' TERM
for step in 1 2 3; do echo "step=$step loss=$step.5"; done
while :; do sleep 0.1; done
