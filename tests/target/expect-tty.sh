#!/bin/sh
# expect-tty.sh RUNSCRIPT [QEMU-ARGS...] - boot the terminal suite
# (ttytest.c) and type its input in stages: when the suite prints
# "ttytest: send NAME" it is ready (a chosen group is in front, a reader
# waits), and this types stage NAME into the console. A file fed to QEMU
# arrives whole at boot, before any task is in front, so a Ctrl-C in it
# could not be aimed. Then checks what only the output shows: the echo of
# the editing and of Ctrl-C, and no echo in raw mode. Prints the suite's
# lines, per-check results and the total "N passed, N failed"; exits
# non-zero on any failure.
run=$1
shift
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkfifo "$dir/in"

# The bytes of each stage (printf escapes: \b Backspace, \177 DEL, \025
# Ctrl-U, \004 Ctrl-D, \003 Ctrl-C, \034 Ctrl-\, \032 Ctrl-Z, \r CR).
stage() {
	case $1 in
	edit) printf 'hello\nab\bc\177d\n\177\177x\njunk\025line\npar\004\004cr\rabcdef\nafter\n' ;;
	intr) printf 'partial\003' ;;
	after-intr) printf 'next\n' ;;
	intr2) printf '\003' ;;
	quit) printf '\034' ;;
	susp) printf '\032' ;;
	raw) printf 'a\003\177\r\004' ;;
	*) echo "expect-tty.sh: no stage $1" >&2 ;;
	esac
}

"$run" "$@" <"$dir/in" >"$dir/out" 2>&1 &
qemu=$!
exec 3>"$dir/in" # held open: QEMU never sees the end of its input
sent=" "
ticks=0
while kill -0 "$qemu" 2>/dev/null; do
	for name in $(grep -a '^ttytest: send ' "$dir/out" | cut -d' ' -f3 | tr -d '\r'); do
		case "$sent" in
		*" $name "*) ;;
		*)
			stage "$name" >&3
			sent="$sent$name "
			;;
		esac
	done
	ticks=$((ticks + 1))
	if [ "$ticks" -gt 1500 ]; then # 150 s: a suite stuck waiting for input
		kill "$qemu"
		echo "expect-tty.sh: timed out" >&2
		break
	fi
	sleep 0.1
done
wait "$qemu"
status=$?
exec 3>&-
out=$(cat "$dir/out")
printf '%s\n' "$out"
passed=$(printf '%s\n' "$out" | grep -cE '^PASS ')
failed=$(printf '%s\n' "$out" | grep -cE '^FAIL ')
. "$(dirname "$0")/../check.sh"
has() {
	grep -aqF "$(printf "$1")" "$dir/out" && echo ok
}
# ab^Hc^?d echoes each erase as backspace, space, backspace.
check echo_erases_with_backspace_space_backspace "$(has 'ab\b \bc\b \bd')"
check echo_of_kill_is_caret_u_newline "$(has 'junk^U\nline')"
check echo_of_ctrl_c_is_caret_c_newline "$(has 'partial^C\n')"
check echo_of_ctrl_backslash "$(has '^\\\n')"
check echo_of_ctrl_z "$(has '^Z\n')"
# Raw mode echoes nothing: the raw stage's 'a' followed by its DEL never shows.
check no_echo_in_raw_mode "$(grep -aqF "$(printf 'a\003')" "$dir/out" || echo ok)"
check suite_exits_with_its_failures "$([ "$status" -eq "$(printf '%s\n' "$out" | grep -cE '^FAIL ')" ] &&
	echo ok)"
check_end
