#!/bin/sh
# About 20 MB of output: a metric first, filler, an overlong line, progress-bar redraws, a final metric.
echo "loss=1.5"
yes "filler filler filler filler filler filler filler filler filler filler" | head -c 20000000
echo
echo "loss=0.01"
