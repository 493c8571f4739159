#!/bin/sh
echo "step=1 loss=0.5"
sleep 600 &
echo $! > child.pid
wait
