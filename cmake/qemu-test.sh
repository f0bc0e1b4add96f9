#!/bin/sh
# qemu-test.sh INPUT RUNSCRIPT - boot a test image, feeding the file INPUT
# (if not empty) to its console, and exit with the guest's status.
input=$1
run=$2
if [ -n "$input" ]; then
	exec "$run" <"$input"
fi
exec "$run" </dev/null
