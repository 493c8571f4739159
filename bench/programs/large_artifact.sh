#!/bin/sh
# Reads every file of its train channel and writes a model file of $MODEL_BYTES random bytes, printing
# the checksums and the times (epoch seconds) for bench/s3-large-object.sh to compare and time.
set -eu
echo "program-start $(date +%s.%N)"
for f in $(find "$SM_CHANNEL_TRAIN" -type f | sort); do
  echo "channel $(basename "$f") $(stat -c %s "$f") $(md5sum < "$f" | cut -d' ' -f1)"
done
echo "channel-read $(date +%s.%N)"
head -c "$MODEL_BYTES" /dev/urandom | tee "$SM_MODEL_DIR/model.bin" | md5sum | sed 's/ .*//; s/^/model model.bin '"$MODEL_BYTES"' /'
echo "program-end $(date +%s.%N)"
echo "loss=0.5"
