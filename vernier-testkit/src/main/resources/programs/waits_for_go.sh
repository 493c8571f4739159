#!/bin/sh
# Prints three metric points, waits until the test creates ./go, then prints three more.
for step in 1 2 3; do echo "step=$step loss=$step.5"; done
while [ ! -e go ]; do sleep 0.05; done
for step in 4 5 6; do echo "step=$step loss=$step.5"; done
