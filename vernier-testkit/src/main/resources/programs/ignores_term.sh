#!/bin/sh
# Ignores SIGTERM (and says so in its log) and keeps running: only a SIGKILL ends it.
trap 'echo "got SIGTERM, ignoring it"' TERM
echo "step=1 loss=0.9"
while :; do sleep 0.1; done
