#!/bin/bash
# test-debug.sh ROOT BOARD BUILD - debugging as a user meets it on board
# BOARD, whose tested build is BUILD: ./calf debug --no-gdb starts QEMU
# halted and prints how to attach; a scripted gdb-multiarch session stops
# at vm_fault when the demo app first faults and its backtrace goes through
# the exception (the vectors' CFI) into the app's main(); the console
# filter names functions and lines in a killed task's and a panic's report
# and passes everything else through untouched. Ends "N passed, N failed".
. "$(dirname "$0")/../lib/check.sh"
set -uo pipefail
root=$1 board=$2 build=$3
work=$build/debug-test
rm -rf "$work"
mkdir -p "$work"
addr2line=$(sed -n 's/^CMAKE_ADDR2LINE:FILEPATH=//p' "$build/CMakeCache.txt")
nm=${addr2line%addr2line}nm
symbolize=(perl "$root/cmake/symbolize.pl" "$addr2line" "$build/calf.elf" "$build/apps-bin" "$root")

# The address of symbol $2 in ELF $1, as 8 hex digits.
addr_of() {
	"$nm" "$1" | awk -v s="$2" '$3 == s { print $1; exit }'
}

# A killed task's report: its pc and lr named, the rest (a prompt with no newline) untouched.
user_report_named() {
	local main
	main=$(addr_of "$build/apps-bin/demo.elf" main)
	[ -n "$main" ] || return 1
	printf 'boot\r\ncalf: task 2 (demo) killed by SIGSEGV: bad access, pc %s\r\n$ ' "$main" |
		"${symbolize[@]}" >"$work/user.out"
	# (an x after each piece: $(...) would drop the line ends compared)
	grep -q "^calf:   pc $main: main at apps/demo.c:[0-9]" "$work/user.out" &&
		[ "$(head -c 6 "$work/user.out"; echo x)" = $'boot\r\nx' ] &&
		[ "$(tail -c 2 "$work/user.out"; echo x)" = '$ x' ]
}

# A panic's report: the caller found in the kernel.
panic_report_named() {
	local at
	at=$(addr_of "$build/calf.elf" kmain)
	[ -n "$at" ] || return 1
	at=$(printf '%08x' $((0x$at + 16))) # a return address inside kmain
	printf '\nKERNEL PANIC: test\n  called from %s\n' "$at" | "${symbolize[@]}" >"$work/panic.out"
	grep -q "^calf:   called from $at: .*kmain at kernel/main.c:[0-9]" "$work/panic.out"
}

# ./calf debug --no-gdb, then gdb-multiarch in batch mode through the port it names.
gdb_backtrace_through_the_trap() {
	(CALF_BUILD_DIR=$(dirname "$build") timeout 120 "$root/calf" debug --no-gdb --board "$board" --app demo \
		</dev/null >"$work/console" 2>"$work/debug.err") &
	local calf=$! port="" i
	for i in $(seq 600); do
		port=$(sed -n 's/^calf: QEMU halted with its gdb server on port \([0-9]*\);.*/\1/p' "$work/debug.err")
		[ -n "$port" ] && grep -q "127.0.0.1:$port" "$work/debug.err" && break
		sleep 0.2
	done
	[ -n "$port" ] || { cat "$work/debug.err" >&2; kill $calf; return 1; }
	sleep 1 # QEMU listening
	timeout 60 gdb-multiarch -batch -ex "set pagination off" -ex "set confirm off" \
		-ex "file $build/calf.elf" -ex "add-symbol-file $build/apps-bin/demo.elf" \
		-ex "target remote 127.0.0.1:$port" -ex "break vm_fault" -ex continue -ex bt -ex kill \
		>"$work/gdb.out" 2>&1
	wait $calf
	cat "$work/gdb.out"
	grep -q '^#0  vm_fault (' "$work/gdb.out" && grep -q '<signal handler called>' "$work/gdb.out" &&
		grep -qE '^#[0-9]+ +(0x[0-9a-f]+ in )?main \(.*apps/demo.c:[0-9]+' "$work/gdb.out"
}

check user_fault_report_names_function_and_line user_report_named
check panic_report_names_its_caller panic_report_named
check gdb_backtrace_from_vm_fault_through_the_trap_into_the_app gdb_backtrace_through_the_trap
check_end
