#!/bin/sh
# Fails with output/failure a symbolic link to /etc/passwd: the server must not read it for the program.
ln -s /etc/passwd "$SM_OUTPUT_DIR/failure"
echo "linked"
exit 2
