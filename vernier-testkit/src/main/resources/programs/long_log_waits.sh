#!/bin/sh
# About 6 MB of output with a metric after every 300 KB ("loss=1" .. "loss=20"), then waits until
# the test creates ./go, then prints one more metric.
i=1
while [ $i -le 20 ]; do
  yes "filler filler filler filler filler filler filler filler" | head -c 300000
  echo
  echo "loss=$i"
  i=$((i + 1))
done
while [ ! -e go ]; do sleep 0.05; done
echo "loss=0.25"
