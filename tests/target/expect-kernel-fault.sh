#!/bin/sh
# expect-kernel-fault.sh RUNSCRIPT EXPECT - boot an image whose kernel
# faults on purpose and check the report and the exit status. EXPECT (the
# arch's kfault.expect) names what the report must show on that arch.
# Prints per-check results and "N passed, N failed"; exits non-zero on any failure.
. "$2"
out=$("$1" </dev/null 2>&1)
status=$?
printf '%s\n' "$out"
. "$(dirname "$0")/../check.sh"
has() { printf '%s\n' "$out" | grep -qE "$1" && echo ok; }
check stops_with_status_125 "$([ "$status" -eq 125 ] && echo ok)"
check names_the_exception "$(has "^KERNEL FAULT: $exception")"
check reports_address_and_access "$(has 'address 00000010, write')"
check decodes_the_status "$(has "$decoded")"
check dumps_registers "$(has "$registers")"
check dumps_pc_and_flags "$(has "$pc_line")"
check never_starts_init "$(printf '%s\n' "$out" | grep -q 'started' || echo ok)"
check_end
