#!/bin/sh
# Reports who it runs as and what it may write: its model directory, and the server's files beside it.
echo "uid $(id -u)"
grep '^CapEff' /proc/self/status
if echo 1 > model/model.bin; then echo "model: written"; fi
if echo 0 > vernier/exit_code; then echo "vernier/exit_code: written"; else echo "vernier/exit_code: refused"; fi
if mv vernier vernier.moved; then echo "vernier: moved"; else echo "vernier: not moved"; fi
if cat vernier/training.log > /dev/null; then echo "log: read"; else echo "log: refused"; fi
exit 0
