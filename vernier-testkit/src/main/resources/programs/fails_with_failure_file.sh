#!/bin/sh
echo "loading data"
printf 'ValueError: learning_rate must be positive\n%s' "$(head -c 3000 /dev/zero | tr '\0' 'x')" > "$SM_OUTPUT_DIR/failure"
exit 2
