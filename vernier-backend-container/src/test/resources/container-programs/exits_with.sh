#!/bin/sh
# Exits with the code in hyperparameter "code", after writing $SM_HP_REASON (if any) to output/failure.
echo "exiting with $SM_HP_CODE"
if [ -n "$SM_HP_REASON" ]; then printf '%s' "$SM_HP_REASON" > "$SM_OUTPUT_DIR/failure"; fi
exit "$SM_HP_CODE"
