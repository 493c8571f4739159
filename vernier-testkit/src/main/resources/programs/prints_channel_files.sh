#!/bin/sh
# Prints inputdataconfig.json, then every file of every input channel as "<channel>/<path>: <content>".
echo "inputdataconfig.json: $(tr -d '\n ' < "$SM_INPUT_CONFIG_DIR/inputdataconfig.json")"
cd "$SM_INPUT_DIR/data" && find . -type f | sort | while read -r f; do echo "${f#./}: $(cat "$f")"; done
