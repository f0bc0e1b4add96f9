#!/bin/sh
# qemu-test.sh INPUT RUNSCRIPT [QEMU-ARGS...] - boot a test image, feeding
# the file INPUT (if not empty) to its console, and exit with the guest's
# status. QEMU-ARGS (e.g. -icount) go to QEMU.
input=$1
run=$2
shift 2
if [ -n "$input" ]; then
	exec "$run" "$@" <"$input"
fi
exec "$run" "$@" </dev/null
