#!/bin/sh
# A "training program" with a learning curve, for early-stopping tests and benchmarks: per epoch e,
# loss = floor + 5 / e, where floor = 1000 (lr - 0.03)^2 when lr <= 0.05 and 10 + 1000 (lr - 0.03)^2
# when lr > 0.05 (hopeless: with lr in [0, 0.1] half the configurations can never get below 10).
# Environment: EPOCHS (default 10, or the epochs hyperparameter), SLEEP_SECONDS (pause before each epoch).
[ "$1" = "train" ] || { echo "expected 'train'" >&2; exit 64; }
lr=${SM_HP_LR:-0}
epochs=${SM_HP_EPOCHS:-${EPOCHS:-10}}
i=0
while [ "$i" -lt "$epochs" ]; do
  i=$((i + 1))
  sleep "${SLEEP_SECONDS:-0}"
  awk -v lr="$lr" -v e="$i" 'BEGIN { f = 1000 * (lr - 0.03) ^ 2; if (lr > 0.05) f += 10; printf "epoch=%d loss=%.8f\n", e, f + 5 / e }'
done
echo "model" > "$SM_MODEL_DIR/model.txt"
