#!/bin/sh
# A tiny "training program" for API tests: loss = 1000 * (lr - 0.05)^2, printed once per epoch.
# Environment: SLEEP_SECONDS (pause before each epoch), EPOCHS (default 1).
[ "$1" = "train" ] || { echo "expected 'train'" >&2; exit 64; }
lr=${SM_HP_LR:-0}
i=0
while [ "$i" -lt "${EPOCHS:-1}" ]; do
  i=$((i + 1))
  sleep "${SLEEP_SECONDS:-0}"
  awk -v lr="$lr" -v e="$i" 'BEGIN { printf "epoch=%d loss=%.8f\n", e, 1000 * (lr - 0.05) ^ 2 + 1 / e }'
done
echo "model" > "$SM_MODEL_DIR/model.txt"
