#!/bin/sh
# Ignores SIGTERM and leaves a grandchild that ignores it too: only SIGKILL to the group ends them.
trap '' TERM
sh -c 'trap "" TERM; sh -c "trap \"\" TERM; echo \$\$ > grandchild.pid; while :; do sleep 1; done" & wait' &
echo "step=1 loss=0.9"
while :; do sleep 1; done
