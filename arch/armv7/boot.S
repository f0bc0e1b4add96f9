/*
 * boot.S - first instructions: QEMU's -kernel (or a boot loader) jumps to
 * _start in SVC mode with the MMU off. Give each exception mode a small
 * stack, clear .bss, turn the MMU and caches on, enter kmain().
 */
	.syntax unified
	.arm

	.section .text.boot, "ax"
	.global _start
	.type	_start, %function
_start:
	cpsid	aif
	cps	#0x12			@ IRQ mode
	ldr	sp, =irq_stack_top
	cps	#0x17			@ abort mode
	ldr	sp, =abt_stack_top
	cps	#0x1b			@ undefined mode
	ldr	sp, =und_stack_top
	cps	#0x11			@ FIQ mode
	ldr	sp, =fiq_stack_top
	cps	#0x13			@ SVC mode: the kernel runs here
	ldr	sp, =boot_stack_top

	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b

	bl	arch_mmu_enable
	bl	kmain
2:	wfi
	b	2b

	/*
	 * Exception modes only pass through (vectors.S moves every exception
	 * to the SVC stack with SRS), so their stacks are small guards.
	 */
	.section .bss.stacks, "aw", %nobits
	.balign	8
	.space	256
irq_stack_top:
	.space	256
abt_stack_top:
	.space	256
und_stack_top:
	.space	256
fiq_stack_top:
	.global boot_stack_top
	.space	8192
boot_stack_top:
