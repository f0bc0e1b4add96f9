#!/bin/sh
# qemu-test.sh INPUT RUNSCRIPT [QEMU-ARGS...] - boot a test image, feeding
# the file INPUT (if not empty) to its console once the kernel's banner
# is out, and exit with the guest's status. QEMU-ARGS (e.g. -icount) go to QEMU. A suite that announces
# "NAME: N cases" must close with passed + failed + skipped = N: a case
# that vanished or was counted twice fails the run.
input=${1:-/dev/null}
run=$2
shift 2
out=$(mktemp)
trap 'rm -f "$out" "$out.status"' EXIT
# A UART's receiver may drop what arrives before the kernel enables it
# (the Zynq's Cadence UART, off at reset, does; QEMU hw/char/cadence_uart.c):
# the input waits for the banner, which comes after (kernel/main.c), or 60 s.
feed() {
	[ -s "$input" ] || return 0
	n=0
	while [ $n -lt 600 ] && ! grep -q '^Calf on ' "$out" 2>/dev/null; do
		sleep 0.1
		n=$((n + 1))
	done
	cat "$input"
}
{
	feed | "$run" "$@"
	echo $? >"$out.status"
} | tee "$out"
status=$(cat "$out.status")
announced=$(sed -n 's/^[A-Za-z0-9_-]*: \([0-9][0-9]*\) cases\r*$/\1/p' "$out" | head -n 1)
closing=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed\(, \([0-9][0-9]*\) skipped\)\{0,1\}\r*$/\1 \2 \4/p' "$out" | tail -n 1)
if [ -n "$announced" ] && [ -n "$closing" ]; then
	set -- $closing
	total=$(($1 + $2 + ${3:-0}))
	if [ "$total" -ne "$announced" ]; then
		echo "qemu-test: the suite announced $announced cases and reported $total" >&2
		[ "$status" -ne 0 ] || status=1
	fi
fi
exit "$status"
