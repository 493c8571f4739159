#!/bin/sh
# Exits at once but leaves a child that keeps stdout open (and so the log pipe).
sleep 600 &
echo $! > child.pid
echo "loss=0.3"
exit 0
