#!/bin/bash
# Prints the SageMaker variables it was given, one per line. bash, not sh: dash would drop the names
# that are not shell identifiers from env's environment, as it did from programs' under the wrapper.
env | grep '^SM_HP_\|^SM_CHANNEL_' | sort
