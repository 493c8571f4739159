#!/bin/sh
# Prints what SageMaker's training-job contract gives a program, one "what: value" line each, for the
# training-backend contract suite. Paths come from the environment: the program may see its
# directory anywhere (/opt/ml in a container).
echo "args: $*"
echo "hyperparameters.json: $(tr -d '\n ' < "$SM_INPUT_CONFIG_DIR/hyperparameters.json")"
echo "resourceconfig.json: $(tr -d '\n ' < "$SM_INPUT_CONFIG_DIR/resourceconfig.json")"
for name in SM_HPS SM_HP_ALPHA SM_HP_LAYERS SM_CHANNELS SM_CURRENT_HOST SM_HOSTS TRAINING_JOB_NAME TRAINING_JOB_ARN \
    MY_VARIABLE SM_TRAINING_ENV; do
  eval "value=\$$name"
  echo "$name: $value"
done
for name in SM_MODEL_DIR SM_INPUT_DIR SM_INPUT_CONFIG_DIR SM_OUTPUT_DIR SM_OUTPUT_DATA_DIR SM_CHANNEL_TRAIN; do
  eval "dir=\$$name"
  if [ -d "$dir" ]; then echo "$name: a directory"; else echo "$name: not a directory: '$dir'"; fi
done
for name in SM_NUM_CPUS SM_NUM_GPUS; do
  eval "n=\$$name"
  case "$n" in ''|*[!0-9]*) echo "$name: not a number: '$n'" ;; *) echo "$name: a number" ;; esac
done
echo "SM_CHANNEL_TRAIN holds: $(ls "$SM_CHANNEL_TRAIN")"
