/*
 * paddr.S - a program linked to run at virtual 0xC00xxxxx but loaded at
 * physical 0x600xxxxx (tests/flash/paddr.ld), in two segments, with its
 * entry past the first byte: the flash boot stub must copy each segment to
 * its p_paddr and enter at the entry's physical address. It runs with the
 * MMU off, position-independent, prints "paddr ok" (or "paddr bad" when
 * the data segment did not arrive) and "caches off" (or "caches on", when
 * SCTLR still has the MMU or a cache on) on UART0 and powers off through
 * the motherboard (SYS_CFGCTRL shutdown, as boards/vexpress-a9/board.c).
 */
	.syntax unified
	.arm

	.text
	.word	0, 0, 0, 0		@ the entry is not the segment's first byte
	.global	_start
_start:
	adr	r4, _start		@ where it runs (physical)
	ldr	r5, =_start		@ where it was linked (virtual)
	ldr	r1, =magic		@ both segments moved alike: physical = virtual - r5 + r4
	sub	r1, r1, r5
	ldr	r1, [r4, r1]
	ldr	r2, =0x600d
	adr	r0, good
	cmp	r1, r2
	adrne	r0, bad
	bl	puts
	mrc	p15, 0, r1, c1, c0, 0	@ SCTLR: the stub leaves MMU, D- and I-cache off
	ldr	r2, =0x1005		@ I, C, M
	adr	r0, cold
	tst	r1, r2
	adrne	r0, warm
	bl	puts
	ldr	r3, =0x100000a4		@ SYS_CFGCTRL
	ldr	r2, =0xc0800000		@ start, write, function 8 (shutdown), site 0
	str	r2, [r3]
2:	wfi
	b	2b

/* Print the string at r0 on UART0 (its data register: QEMU needs no set-up). */
puts:	ldr	r3, =0x10009000
1:	ldrb	r2, [r0], #1
	cmp	r2, #0
	strbne	r2, [r3]
	bne	1b
	bx	lr

good:	.asciz	"paddr ok\n"
bad:	.asciz	"paddr bad\n"
cold:	.asciz	"caches off\n"
warm:	.asciz	"caches on\n"
	.ltorg

	.data
magic:	.word	0x600d
