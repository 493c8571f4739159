#!/bin/sh
i=1
while [ $i -le 30 ]; do echo "working on batch $i"; i=$((i + 1)); done
echo "Traceback: division by zero" >&2
exit 3
