#!/bin/bash
# test-frontend.sh ROOT BOARD BUILD - ./calf as a user meets it, run from
# another directory (and through a symlink) into a scratch build directory
# (CALF_BUILD_DIR) that shares build directory BUILD's newlib and builds no
# suites: one-line errors, app-name suggestions, an extra-apps directory
# given relative to the caller, remembered, with a warning shown and a
# broken app named and left out; ./calf config listing, refusing and
# changing the options, which reach the kernel and QEMU. Ends "N passed,
# N failed".
. "$(dirname "$0")/../lib/check.sh"
set -uo pipefail
root=$1 board=$2 build=$3
work=$build/frontend-test

# Run calf ($@) from $work/elsewhere through the symlink; stdout and stderr
# land in $work/out and $work/err, the status in $status.
calf() {
	(cd "$work/elsewhere" && CALF_BUILD_DIR=../scratch "$work/bin/calf" "$@") \
		>"$work/out" 2>"$work/err" </dev/null
	status=$?
}

# Whether $work/err is exactly one line, with each fixed string $1...
one_line_error() {
	local s
	[ "$status" -ne 0 ] && [ "$(wc -l <"$work/err")" -eq 1 ] || { cat "$work/err" >&2; return 1; }
	for s in "$@"; do
		grep -qF -- "$s" "$work/err" || { echo "    missing: $s in: $(cat "$work/err")" >&2; return 1; }
	done
}

# Whether file $1 holds each fixed string $2...
holds() {
	local file=$1 s
	shift
	for s in "$@"; do
		grep -qF -- "$s" "$file" || { echo "    missing: $s" >&2; tail -n 20 "$file" >&2; return 1; }
	done
}

unknown_command() { calf frob; one_line_error "unknown command 'frob'" "commands: "; }
option_without_value() { calf run --app; one_line_error "--app needs an app name"; }
unknown_board() { calf build --board nope; one_line_error "unknown board 'nope'" "$board"; }

# A first build with the extra apps given relative to the caller's directory.
extra_apps_build() {
	(cd "$work/elsewhere" && CALF_BUILD_DIR=../scratch CALF_EXTRA_APPS=myapps "$work/bin/calf" build --app greet) \
		>"$work/out" 2>"$work/err" </dev/null
	[ $? -eq 0 ] && [ -f "$work/scratch/$board/calf.elf" ] &&
		holds "$work/err" "warning: " "defined but not used" "calf: extra app broken does not build:" \
			"oops" "without the extra apps that do not build: broken"
}

remembered_and_runs() {
	calf run --app greet
	[ "$status" -eq 0 ] && holds "$work/out" "greet: hello from an extra app" &&
		holds "$work/err" "with the extra apps in $work/elsewhere/myapps (remembered"
}

# QEMU halted by -S shows nothing; calf says so (no -s here: no port taken).
halted_qemu_said() {
	(cd "$work/elsewhere" && CALF_BUILD_DIR=../scratch timeout 20 "$work/bin/calf" run --app greet --qemu -S) \
		>"$work/out" 2>"$work/err" </dev/null
	holds "$work/err" "calf: QEMU starts halted (-S) and waits for a debugger on no gdb port"
}

# A build directory never configured (a clean checkout's first build): configure runs, and a wrong app is one line.
fresh_build_dir() {
	(cd "$work/elsewhere" && CALF_BUILD_DIR=../fresh "$work/bin/calf" build --app nosuchapp) \
		>"$work/out" 2>"$work/err" </dev/null
	status=$?
	one_line_error "no app named 'nosuchapp' on $board"
}

# ./calf config: the options with their values and ranges; a value out of
# range is one line and changes nothing; new values reach <calf/config.h>,
# the kernel (its config line) and QEMU (-m: the kernel uses 64 MiB).
config_listed() {
	calf config --list
	[ "$status" -eq 0 ] && grep -qE '^CALF_TASK_MAX +64 +tasks alive at once.*\(8 to 128\)$' "$work/out" &&
		holds "$work/out" "CALF_RAM_MB" "CALF_SCHED_HZ" "CALF_SCHED_SLICE" "CALF_KSTACK_SIZE" \
			"CALF_USER_STACK_KB" "CALF_COMMIT"
}
config_refused() {
	local header=$work/scratch/$board/include/calf/config.h
	calf config CALF_TASK_MAX=7
	one_line_error "CALF_TASK_MAX=7: use a number from 8 to 128" "nothing changed" &&
		holds "$header" "#define CALF_CONFIG_TASK_MAX 64" &&
		holds "$work/scratch/$board/CMakeCache.txt" "CALF_TASK_MAX:STRING=64" &&
		{ calf config CALF_NOSUCH=1; one_line_error "no option CALF_NOSUCH" "CALF_TASK_MAX"; }
}
config_reaches_the_kernel() {
	calf config CALF_TASK_MAX=32 CALF_RAM_MB=64
	[ "$status" -eq 0 ] && holds "$work/scratch/$board/include/calf/config.h" \
		"#define CALF_CONFIG_TASK_MAX 32" "#define CALF_CONFIG_RAM_MB 64" || return 1
	calf run --app greet
	[ "$status" -eq 0 ] && holds "$work/out" "RAM 64 MiB at" "config: 32 tasks," "greet: hello from an extra app"
}

suggests_the_app() { calf run --app gret; one_line_error "no app named 'gret'" "did you mean greet?"; }
broken_app_asked_for() { calf build --app broken; [ "$status" -ne 0 ] && holds "$work/err" "app 'broken' does not build"; }

rm -rf "$work"
mkdir -p "$work/elsewhere/myapps" "$work/bin" "$work/scratch/$board"
ln -s "$root/calf" "$work/bin/calf"
printf '#include <stdio.h>\nstatic int unused(void) { return 1; }\nint main(void) { printf("greet: hello from an extra app\\n"); return 0; }\n' \
	>"$work/elsewhere/myapps/greet.c"
printf 'int main(void) { return oops; }\n' >"$work/elsewhere/myapps/broken.c"
# The scratch build: no suites, and the tested build's newlib (wherever its cache keeps it).
newlib_root=$(sed -n 's/^CALF_NEWLIB_ROOT:[A-Z]*=//p' "$build/CMakeCache.txt")
cmake --preset "$board" -S "$root" -B "$work/scratch/$board" -DCALF_TESTS=OFF \
	-DCALF_NEWLIB_ROOT="${newlib_root:-$build}" >"$work/seed.log" 2>&1 || { cat "$work/seed.log"; exit 1; }

check unknown_command_is_one_line unknown_command
check option_without_value_is_one_line option_without_value
check unknown_board_is_one_line unknown_board
check fresh_build_directory_configures fresh_build_dir
check extra_apps_relative_warning_shown_broken_left_out extra_apps_build
check extra_apps_remembered_and_app_runs remembered_and_runs
check halted_qemu_is_announced halted_qemu_said
check app_name_suggestion suggests_the_app
check broken_app_asked_for_fails broken_app_asked_for
check config_lists_options config_listed
check config_refuses_a_bad_value config_refused
check config_reaches_kernel_and_qemu config_reaches_the_kernel
check_end
