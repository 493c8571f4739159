#!/bin/bash
# Tries to open a TCP connection to 127.0.0.1:$SM_HP_PORT (bash's /dev/tcp; no python or nc needed).
if exec 3<>"/dev/tcp/127.0.0.1/$SM_HP_PORT"; then echo "connected"; exit 0; fi
echo "no network"
exit 1
