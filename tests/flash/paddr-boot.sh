#!/bin/sh
# paddr-boot.sh IMAGE QEMU [QEMU-ARGS...] - boot IMAGE, the NOR flash image
# of tests/flash/paddr.S, with no -kernel: from reset, and entered at
# 0x40000000 by IMAGE's sibling -warm.elf (warm.S) with the caches on. Each
# time it must print "paddr ok" and "caches off" and power the machine off
# (QEMU exits 0). A stub that jumped to the virtual entry would hang on a
# prefetch abort: timeout ends that run.
. "$(dirname "$0")/../lib/check.sh"
image=$1
shift

# boot WHEN [QEMU-ARGS...]: one boot, its three cases.
boot() {
	when=$1
	shift
	out=$(timeout 30 "$@" -drive if=pflash,format=raw,readonly=on,file="$image" </dev/null)
	status=$?
	printf '%s\n' "$out"
	check "${when}_segments_loaded_at_paddr_entered_at_physical_entry" sh -c "printf '%s\n' \"\$1\" | grep -q '^paddr ok'" - "$out"
	check "${when}_kernel_entered_with_mmu_and_caches_off" sh -c "printf '%s\n' \"\$1\" | grep -q '^caches off'" - "$out"
	check "${when}_sys_cfgctrl_shutdown_ends_qemu" [ "$status" -eq 0 ]
}

boot from_reset "$@"
boot from_a_loader_with_caches_on "$@" -device loader,file="${image%.pflash}-warm.elf",cpu-num=0
check_end
