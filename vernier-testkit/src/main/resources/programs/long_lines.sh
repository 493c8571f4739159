#!/bin/sh
echo "loss=1.0"
printf 'loss=9.9 '; head -c 200000 /dev/zero | tr '\0' 'x'; echo
printf 'progress 10%%\rprogress 50%%\rloss=0.7\n'
echo "loss=0.5"
