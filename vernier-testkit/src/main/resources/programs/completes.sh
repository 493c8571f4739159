#!/bin/sh
# A well-behaved training program: reads its configuration, prints metrics, saves a model.
set -e
[ "$1" = "train" ] || { echo "expected the argument 'train', got '$1'" >&2; exit 64; }
echo "hyperparameters: $(tr -d '\n ' < "$SM_INPUT_CONFIG_DIR/hyperparameters.json")"
echo "lr=$SM_HP_LEARNING_RATE job=$TRAINING_JOB_NAME custom=$MY_VARIABLE cwd=$(pwd)"
for epoch in 1 2 3; do
  echo "epoch=$epoch train_loss=0.$((4 - epoch)) validation:accuracy=0.$((epoch + 5))"
done
echo "weights" > "$SM_MODEL_DIR/model.bin"
mkdir -p "$SM_MODEL_DIR/extra" && echo "vocab" > "$SM_MODEL_DIR/extra/vocab.txt"
echo "report" > "$SM_OUTPUT_DATA_DIR/report.txt"
echo "to stderr: warning" >&2
printf 'final train_loss=0.05'
