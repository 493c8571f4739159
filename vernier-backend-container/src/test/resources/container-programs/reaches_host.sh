#!/bin/bash
# Tries to open a TCP connection to $SM_HP_HOST:$SM_HP_PORT (bash's /dev/tcp), a port on the machine
# that runs the container, seen from inside it; prints what it found.
if exec 3<>"/dev/tcp/$SM_HP_HOST/$SM_HP_PORT"; then echo "connected"; exit 0; fi
echo "no network"
exit 1
