/*
 * warm.S - a stand-in for a boot loader that ran with caches on: QEMU's
 * -device loader starts the CPU here (in SRAM, tests/flash/paddr-boot.sh);
 * it turns the D- and I-cache on and jumps to the NOR flash at its own
 * address, 0x40000000, not the alias at 0: the boot stub must clean and
 * turn the caches off, and run where it is.
 */
	.syntax unified
	.arm
	.text
	.global	_start
_start:
	mrc	p15, 0, r0, c1, c0, 0	@ SCTLR
	orr	r0, r0, #(1 << 2)	@ C
	orr	r0, r0, #(1 << 12)	@ I
	mcr	p15, 0, r0, c1, c0, 0
	isb
	ldr	pc, =0x40000000
	.ltorg
