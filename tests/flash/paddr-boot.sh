#!/bin/sh
# paddr-boot.sh IMAGE QEMU [QEMU-ARGS...] - boot IMAGE, the NOR flash image
# of tests/flash/paddr.S, with no -kernel: it must print "paddr ok" and
# power the machine off (QEMU exits 0). A stub that jumped to the virtual
# entry would hang on a prefetch abort: timeout ends that run.
image=$1
shift
out=$(timeout 30 "$@" -drive if=pflash,format=raw,readonly=on,file="$image" </dev/null)
status=$?
printf '%s\n' "$out"
passed=0
failed=0
if printf '%s\n' "$out" | grep -q '^paddr ok'; then
	echo "PASS segments_loaded_at_paddr_entered_at_physical_entry"
	passed=$((passed + 1))
else
	echo "FAIL segments_loaded_at_paddr_entered_at_physical_entry"
	failed=$((failed + 1))
fi
if [ "$status" -eq 0 ]; then
	echo "PASS sys_cfgctrl_shutdown_ends_qemu"
	passed=$((passed + 1))
else
	echo "FAIL sys_cfgctrl_shutdown_ends_qemu (QEMU status $status)"
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
