#!/bin/sh
# expect-kernel-fault.sh RUNSCRIPT - boot an image whose kernel faults on
# purpose and check the report and the exit status. Prints per-check results
# and "N passed, N failed"; exits non-zero on any failure.
out=$("$1" </dev/null 2>&1)
status=$?
printf '%s\n' "$out"
passed=0
failed=0
check() {
	if [ "$2" = ok ]; then
		passed=$((passed + 1))
		echo "PASS $1"
	else
		failed=$((failed + 1))
		echo "FAIL $1"
	fi
}
has() { printf '%s\n' "$out" | grep -qE "$1" && echo ok; }
check stops_with_status_125 "$([ "$status" -eq 125 ] && echo ok)"
check names_the_exception "$(has '^KERNEL FAULT: data abort')"
check reports_address_and_access "$(has 'address 00000010, write')"
check decodes_the_status "$(has 'translation fault \(section\)')"
check dumps_registers "$(has '^ +r0 +[0-9a-f]{8}')"
check dumps_pc_and_cpsr "$(has 'pc +[0-9a-f]{8} +cpsr +[0-9a-f]{8}')"
check never_starts_init "$(printf '%s\n' "$out" | grep -q 'started' || echo ok)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
