#!/bin/sh
# Lines "line 1" .. "line 300" (2,592 bytes), all at once, then exits: a little past a small cap.
i=1; while [ $i -le 300 ]; do echo "line $i"; i=$((i + 1)); done
echo "loss=0.25"
