#!/bin/sh
# expect-console.sh RUNSCRIPT [QEMU-ARGS...] - boot the console suite
# (consoletest.c) and check, besides its own cases, what only its output
# shows: markers and the kernel's report in the order they were written,
# and the closing line, queued behind a burst bigger than the transmit
# ring, reaching the console before power-off. Prints the suite's lines,
# per-check results and the total "N passed, N failed"; exits non-zero on
# any failure.
run=$1
shift
out=$("$run" "$@" </dev/null 2>&1)
status=$?
printf '%s\n' "$out"
passed=$(printf '%s\n' "$out" | grep -cE '^PASS ')
failed=$(printf '%s\n' "$out" | grep -cE '^FAIL ')
. "$(dirname "$0")/../check.sh"
# The line numbers of the first line matching each pattern, in turn, must rise.
in_order() {
	last=0
	for pattern in "$@"; do
		n=$(printf '%s\n' "$out" | grep -nE "$pattern" | head -n 1 | cut -d: -f1)
		[ -n "$n" ] && [ "$n" -gt "$last" ] || return 0
		last=$n
	done
	echo ok
}
check output_order_across_tasks_and_kernel "$(in_order '^order 1:' '^order 2:' '^order 3:' \
	'killed by SIGSEGV' '^order 4:')"
# The closing line, then init's exit: nothing queued was lost at power-off.
check last_line_before_power_off_not_lost "$(printf '%s\n' "$out" | tail -n 2 | tr '\n' '|' |
	grep -qE '^[0-9]+ passed, [0-9]+ failed\|calf: init exited with status [0-9]+; powering off\|$' &&
	echo ok)"
check suite_exits_with_its_failures "$([ "$status" -eq "$(printf '%s\n' "$out" | grep -cE '^FAIL ')" ] &&
	echo ok)"
check_end
