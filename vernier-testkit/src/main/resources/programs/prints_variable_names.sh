#!/bin/bash
# Prints the name of every environment variable it was given, one per line, after "names:".
echo "names:"
env -0 | tr '\0' '\n' | grep -o '^[^=]*=' | tr -d '=' | sort -u
