#!/bin/sh
# Pipe mode: for each epoch 0 .. EPOCHS-1 and each channel of PIPE_CHANNELS, copies the FIFO
# input/data/<channel>_<epoch> into model/<channel>_<epoch>; fails when it is not a FIFO. Prints
# "epoch <e> read" after each epoch, then sleeps EPOCH_SLEEP seconds (default 0).
for e in $(seq 0 $((EPOCHS - 1))); do
  for ch in $PIPE_CHANNELS; do
    fifo="$SM_INPUT_DIR/data/${ch}_$e"
    if [ ! -p "$fifo" ]; then echo "no FIFO ${ch}_$e" > "$SM_OUTPUT_DIR/failure"; exit 1; fi
    cat "$fifo" > "$SM_MODEL_DIR/${ch}_$e" || exit 1
  done
  echo "epoch $e read"
  sleep "${EPOCH_SLEEP:-0}"
done
ls "$SM_INPUT_DIR/data"
echo "loss=0"
