#!/bin/sh
# kill-run.sh RUN - a board's NAME.run started with a console that stays
# open (the shell image waits at its prompt), then sent SIGTERM as a user's
# kill of its pid would be: QEMU must be gone with it, whether the script
# exec'd QEMU (its pid is QEMU's) or waits on it (pc: it translates
# isa-debug-exit's code). Ends "N passed, N failed".
. "$(dirname "$0")/../lib/check.sh"
run=$1
sleep 60 | "$run" >/dev/null 2>&1 &
script=$!
sleep 3 # QEMU is up, the shell at its prompt
qemu=$(pgrep -P "$script" | head -n 1)
[ -n "$qemu" ] || qemu=$script # exec'd: the script's pid is QEMU's

# Whether process $1 ends within 20 seconds.
ends() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 20 ]; do
		sleep 1
		i=$((i + 1))
	done
	! kill -0 "$1" 2>/dev/null
}

check qemu_running_before_the_kill kill -0 "$qemu"
kill -TERM "$script"
check script_ends_on_sigterm ends "$script"
check qemu_ends_with_its_script ends "$qemu"
kill -KILL "$qemu" 2>/dev/null
check_end
