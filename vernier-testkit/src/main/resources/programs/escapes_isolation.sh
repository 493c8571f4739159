#!/bin/bash
# Tries to leave its network namespace for its parent's, pid 1's and the server's
# (SM_HP_SERVER_PID) with nsenter (setns), and from there to open 127.0.0.1:$SM_HP_PORT.
grep '^Cap' /proc/self/status
for ns in "/proc/$PPID/ns/net" /proc/1/ns/net "/proc/$SM_HP_SERVER_PID/ns/net"; do
  if nsenter --net="$ns" bash -c "exec 3<>/dev/tcp/127.0.0.1/$SM_HP_PORT"; then echo "escaped through $ns"; exit 0; fi
done
if exec 3<>"/dev/tcp/127.0.0.1/$SM_HP_PORT"; then echo "connected"; exit 0; fi
echo "no escape"
exit 1
