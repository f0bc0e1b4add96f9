#!/usr/bin/env bash
# expect-shell.sh RUNSCRIPT [QEMU-ARGS...] - boot an image whose first task
# is the shell and drive a session over the serial console, as a user at
# the keyboard would: wait for the prompt, type a line, read what comes
# back up to the next prompt. Every wait has a deadline, so a hang fails
# instead of blocking. Checks a pipeline, redirections to a file, a
# background job with jobs and wait, Ctrl-C of a foreground sleep, job
# control (Ctrl-Z, jobs, bg, fg, Ctrl-C sparing a background job, kill of
# a stopped job), ps, free
# against memstat (calf_meminfo), a command not found, and the power-off
# status of Ctrl-D and of exit. Bash only (a FIFO feeds QEMU's console).
# Prints PASS/FAIL per check and "N passed, N failed"; exits non-zero on
# any failure.
set -u
run=${1:?usage: expect-shell.sh RUNSCRIPT [QEMU-ARGS...]}
shift
. "$(dirname "$0")/../check.sh"
work=$(mktemp -d)
qemu=
trap 'stop_qemu; rm -rf "$work"' EXIT

BOOT_TIMEOUT=60 # seconds to the first prompt (a loaded host is slow)
CMD_TIMEOUT=30  # seconds from a typed line to the next prompt
PROMPT_RE='calf:[^ ]*\$ '

# Boot the image with its console on a FIFO (input) and a log file (output).
start_qemu() {
	rm -f "$work/in" "$work/log"
	mkfifo "$work/in"
	: >"$work/log"
	set -m # QEMU and the run script in a group of their own, to stop together
	"$run" "$@" <"$work/in" >"$work/log" 2>&1 &
	qemu=$!
	set +m
	exec 3>"$work/in"
	prompts=0
}

# Stop QEMU if it still runs (a failed check may leave it waiting for input).
stop_qemu() {
	exec 3>&- 2>/dev/null
	if [ -n "$qemu" ] && kill -0 "$qemu" 2>/dev/null; then
		kill -- -"$qemu" 2>/dev/null
		wait "$qemu" 2>/dev/null
	fi
	qemu=
}

# The console output so far, carriage returns removed.
console() {
	tr -d '\r' <"$work/log"
}

prompt_count() {
	console | grep -oE "$PROMPT_RE" | wc -l
}

# Wait until more than $prompts prompts have been printed (at most $1
# seconds); then $prompts counts them. Non-zero on timeout.
wait_prompt() {
	local deadline=$((SECONDS + $1)) count
	while :; do
		count=$(prompt_count)
		if [ "$count" -gt "$prompts" ]; then
			prompts=$count
			return 0
		fi
		[ $SECONDS -lt "$deadline" ] || return 1
		kill -0 "$qemu" 2>/dev/null || return 1
		sleep 0.1
	done
}

# send FORMAT ARG...: printf to the console. In a subshell ignoring SIGPIPE:
# a QEMU that died makes the write fail, not this script (and the ignored
# SIGPIPE is not inherited by the other commands).
send() {
	(
		trap '' PIPE
		printf "$@" >&3
	) 2>/dev/null
}

# type BYTES: send them to the console as typed (no newline added).
type_bytes() {
	send '%b' "$1"
}

# cmd LINE [TIMEOUT]: type LINE and Enter, wait for the next prompt, and set
# $out to what the command printed (the echoed line and the prompt left out).
cmd() {
	local mark
	mark=$(console | wc -c)
	send '%s\n' "$1"
	if ! wait_prompt "${2:-$CMD_TIMEOUT}"; then
		out="(no prompt within ${2:-$CMD_TIMEOUT} s; console: $(console | tail -c +$((mark + 1))))"
		return 1
	fi
	out=$(console | tail -c +$((mark + 1)) | sed -E "s/$PROMPT_RE\$//")
	# The line discipline echoes what is typed: drop that first line.
	if [ "${out%%$'\n'*}" = "$1" ]; then
		case $out in
		*$'\n'*) out=${out#*$'\n'} ;;
		*) out= ;;
		esac
	fi
	return 0
}

# judge NAME RESULT: check NAME, showing the last command's output when RESULT is not ok.
judge() {
	check "$1" "$2"
	[ "$2" = ok ] || printf '  output: %s\n' "$out"
}

# expect NAME LINE EXPECTED: run LINE, its output must be EXPECTED.
expect() {
	cmd "$2"
	if [ "$out" = "$3" ]; then
		check "$1" ok
	else
		check "$1" fail
		printf '  typed: %s\n  expected: %s\n  got: %s\n' "$2" "$3" "$out"
	fi
}

# expect_re NAME LINE REGEX: run LINE, its output must match the extended REGEX.
expect_re() {
	cmd "$2"
	if grep -qE "$3" <<<"$out"; then
		check "$1" ok
	else
		check "$1" fail
		printf '  typed: %s\n  expected to match: %s\n  got: %s\n' "$2" "$3" "$out"
	fi
}

# Set $status to the guest's status once QEMU ends (at most $1 seconds), to
# "timeout" if it does not. Not in a $( ) subshell: only this shell can wait
# for QEMU.
power_off_status() {
	local deadline=$((SECONDS + $1))
	while kill -0 "$qemu" 2>/dev/null; do
		if [ $SECONDS -ge "$deadline" ]; then
			status=timeout
			return
		fi
		sleep 0.1
	done
	wait "$qemu"
	status=$?
	qemu=
}

# free's rows against memstat's (both calf_meminfo): the same total and page
# size, free + used = total, KiB = pages * page_size / 1024 on every row.
free_consistent() {
	local free_out=$1 mem_out=$2
	local total page
	total=$(printf '%s\n' "$mem_out" | awk '$1 == "total" { print $2 }')
	page=$(printf '%s\n' "$mem_out" | awk '$1 == "page_size" { print $2 }')
	printf '%s\n' "$free_out" | awk -v total="$total" -v page="$page" '
		$1 == "total" { t = $2 } $1 == "free" { f = $2 } $1 == "used" { u = $2 }
		NF == 3 && $2 ~ /^[0-9]+$/ { rows++; if ($3 != int($2 * page / 1024)) bad = 1 }
		END { if (total != "" && t == total && f + u == t && rows >= 6 && !bad) print "ok" }'
}

start_qemu "$@"
if wait_prompt $BOOT_TIMEOUT; then check boot_to_prompt ok; else check boot_to_prompt fail; fi

cmd 'cd /; mkdir shtest; cd shtest; pwd'
judge cd_into_new_directory "$([ "$out" = /shtest ] && echo ok)"
expect pipeline 'seq 1 100 | wc -l' '100'
expect pipeline_three_stages 'seq 1 1000 | head -n 5 | wc -l' '5'
cmd 'echo hello > f'
expect redirect_then_cat 'cat f' 'hello'
cmd 'echo world >> f'
expect append 'cat f' $'hello\nworld'
expect redirect_in 'wc -l < f' '2'
expect stderr_redirect 'cat nosuch 2>&1 | wc -l' '1'
expect ls_directory 'ls' 'f'
expect and_or 'false && echo no || echo yes' 'yes'
expect status_variable 'false; echo $?' $'sh: false: exit 1\n1'
expect variables 'X="a  b"; export X; sh -c '\''echo "$X" $X'\''' 'a  b a b'

# Long enough to be running still at `jobs` on a loaded host; wait then blocks for the rest.
expect_re background_job 'sleep 8 &' '^\[1\] [0-9]+$'
expect jobs_lists_it 'jobs' '[1] Running  sleep 8'
cmd 'wait; echo waited $?'
judge wait_for_job "$([ "$out" = 'waited 0' ] && echo ok)"
cmd 'sleep 0.2 &'
expect_re done_notice 'sleep 2' '^\[1\] Done  sleep 0.2$'

# Ctrl-C: the foreground sleep dies by SIGINT, the shell (which ignores it) stays.
mark=$(console | wc -c)
send 'sleep 100\n'
deadline=$((SECONDS + CMD_TIMEOUT))
until console | tail -c +$((mark + 1)) | grep -q 'sleep 100' || [ $SECONDS -ge $deadline ]; do
	sleep 0.1
done
sleep 1 # the sleep is running now
started=$SECONDS
type_bytes '\003'
if wait_prompt 10; then
	check ctrl_c_returns_to_prompt ok
else
	check ctrl_c_returns_to_prompt fail
fi
check ctrl_c_quickly "$([ $((SECONDS - started)) -le 5 ] && echo ok)"
check ctrl_c_reports_sigint "$(console | tail -c +$((mark + 1)) | grep -q 'sleep: killed by SIGINT' && echo ok)"
expect shell_alive_after_ctrl_c 'echo alive' 'alive'

cmd 'sleep 30 &'
cmd 'ps'
ps_out=$out
# The shell runs ps itself: pid 1, no parent, its own group, running.
out=$ps_out
judge ps_shows_shell "$(grep -qE '^ +1 +0 +1 R +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ (/bin/)?sh$' <<<"$ps_out" && echo ok)"
judge ps_shows_sleeping_job "$(grep -qE '^ +[0-9]+ +1 +[0-9]+ S +[0-9]+ +[0-9]+ +[1-9][0-9]* +[0-9]+ sleep 30$' <<<"$ps_out" && echo ok)"
expect_re kill_job 'kill %1; wait %1; echo $?' '^143$'

# start_foreground LINE: type LINE and wait until it is echoed and has had
# time to start; $mark is where its output begins.
start_foreground() {
	mark=$(console | wc -c)
	send '%s\n' "$1"
	local deadline=$((SECONDS + CMD_TIMEOUT))
	until console | tail -c +$((mark + 1)) | grep -qF "$1" || [ $SECONDS -ge $deadline ]; do
		sleep 0.1
	done
	sleep 1
}

# ctrl_z: type Ctrl-Z until a prompt comes back (one typed before the job
# is in front reaches only the shell, which ignores SIGTSTP). Non-zero if
# no prompt comes.
ctrl_z() {
	local try
	for try in 1 2 3 4 5; do
		type_bytes '\032'
		wait_prompt 3 && return 0
	done
	return 1
}

# Job control: Ctrl-Z stops the foreground job and the shell takes the
# terminal back at once; bg continues it behind, fg in front and waits.
start_foreground 'sleep 10'
if ctrl_z; then check ctrl_z_returns_to_prompt ok; else check ctrl_z_returns_to_prompt fail; fi
out=$(console | tail -c +$((mark + 1)))
judge ctrl_z_reports_stopped "$(grep -qxF '[1]+ Stopped  sleep 10' <<<"$out" && echo ok)"
expect jobs_shows_stopped 'jobs' '[1] Stopped  sleep 10'
expect bg_continues_behind 'bg' '[1]+ sleep 10 &'
expect jobs_shows_running 'jobs' '[1] Running  sleep 10'
expect fg_waits_for_the_job 'fg; echo fg $?' $'sleep 10\nfg 0'
expect no_job_left 'jobs' ''

# Ctrl-C reaches the foreground job only: the background one lives on.
expect_re background_for_ctrl_c 'sleep 60 &' '^\[1\] [0-9]+$'
start_foreground 'sleep 100'
type_bytes '\003'
if wait_prompt 10; then check ctrl_c_with_a_background_job ok; else check ctrl_c_with_a_background_job fail; fi
expect ctrl_c_spares_background_job 'jobs' '[1] Running  sleep 60'

# A stopped job ends by kill %N (SIGTERM, taken once continued) or kill -9.
start_foreground 'sleep 50'
ctrl_z
out=$(console | tail -c +$((mark + 1)))
judge second_job_stopped "$(grep -qxF '[2]+ Stopped  sleep 50' <<<"$out" && echo ok)"
expect_re kill_stopped_job 'kill %2; wait %2; echo $?' '^143$'
expect_re kill_9_background_job 'kill -9 %1; wait %1; echo $?' '^137$'
expect no_job_left_after_kills 'jobs' ''

cmd 'free'
free_out=$out
cmd 'memstat'
judge free_matches_meminfo "$(free_consistent "$free_out" "$out")"
[ "$(free_consistent "$free_out" "$out")" = ok ] || printf '  free: %s\n' "$free_out"

expect not_found 'nosuch' 'sh: nosuch: command not found'
expect not_found_status 'echo $?' '127'
cmd 'echo '\''echo script $1 $#'\'' > s'
expect script_file 'sh s a b' 'script a 2'
expect sh_dash_c 'sh -c '\''seq 3 | wc -l; exit 4'\''; echo $?' $'3\nsh: sh: exit 4\n4'
expect_re demo_runs 'demo > /dev/null; echo demo $?' '^demo 0$'
expect_re bin_lists_programs 'ls /bin | wc -l' '^[1-9][0-9]+$'

# Ctrl-D at an empty prompt ends the shell; init's end powers off with its status.
cmd 'true'
type_bytes '\004'
power_off_status 30
check ctrl_d_powers_off_with_status_0 "$([ "$status" = 0 ] && echo ok)"
check power_off_message "$(console | grep -q 'init exited with status 0' && echo ok)"

# A second boot: exit STATUS powers off with that status.
start_qemu "$@"
wait_prompt $BOOT_TIMEOUT
send 'exit 3\n'
power_off_status 30
check exit_powers_off_with_its_status "$([ "$status" = 3 ] && echo ok)"
stop_qemu
check_end
