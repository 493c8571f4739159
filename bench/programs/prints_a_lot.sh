#!/bin/sh
# Prints $BYTES bytes (default 1 GiB) of 64-byte lines ($LINE, default filler) as fast as it can, a loss before and after.
echo "loss=1.5"
yes "${LINE:-step 123456 filler filler filler filler filler filler filler}" | head -c "${BYTES:-1073741824}"
echo
echo "loss=0.25"
