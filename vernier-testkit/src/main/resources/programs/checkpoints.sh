#!/bin/sh
# Checkpoints in /opt/ml/checkpoints (the job directory's checkpoints/): resumes from checkpoints/step
# when it exists ("resumed from N", else "fresh start"), writes step N+1 and deep/w.txt; then waits
# for the file WAIT_FOR when set, and kills itself (SIGKILL) on a fresh start when KILL_SELF is set.
ck="$SM_MODEL_DIR/../checkpoints"
if [ -f "$ck/step" ]; then n=$(cat "$ck/step"); echo "resumed from $n"; else n=0; echo "fresh start"; fi
mkdir -p "$ck/deep"
echo "weights $((n + 1))" > "$ck/deep/w.txt"
echo $((n + 1)) > "$ck/step.tmp" && mv "$ck/step.tmp" "$ck/step"
if [ -n "$WAIT_FOR" ]; then while [ ! -f "$WAIT_FOR" ]; do sleep 0.05; done; fi
if [ "$n" = 0 ] && [ -n "$KILL_SELF" ]; then kill -9 $$; fi
echo "loss=$n"
