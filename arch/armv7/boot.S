/*
 * boot.S - first instructions: QEMU's -kernel, a boot loader or the flash
 * stub jumps to _start's physical address (the ELF's p_paddr) in SVC mode
 * with the MMU and D-cache off (Linux's ARM boot protocol). The kernel is
 * linked in the direct map (ARCH_KERNEL_VA_BASE, pmap_md.h), so until the
 * MMU is on only position-independent code runs here: clear .bss, map the
 * image at both its physical and its linked address with 1 MiB sections
 * in the kernel's own first-level table, turn the MMU on, and jump to the
 * linked address. There arch_mmu_enable() builds the full kernel map,
 * turns the caches on, and kmain() starts.
 */
#include "mmu.h"

	.syntax unified
	.arm

	.section .text.boot, "ax"
	.global _start
	.type	_start, %function
_start:
	cpsid	aif
	/* r10 = physical - linked address: adr is pc-relative, the literal is linked. */
	adr	r0, _start
	ldr	r1, =_start
	sub	r10, r0, r1

	/* .bss holds the kernel table, which must start zeroed (all faults). */
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	add	r0, r0, r10
	add	r1, r1, r10
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b

	/*
	 * Map each 1 MiB section of [_start, __kernel_end) twice in
	 * arch_kernel_l1: at its linked address (where execution goes on) and
	 * at its physical address (where the pc is when the MMU comes on;
	 * arch_mmu_enable() removes these). Both with the kernel's section
	 * attributes; the caches stay off until the full map is built.
	 */
	ldr	r4, =arch_kernel_l1
	add	r4, r4, r10		@ the table's physical address
	ldr	r5, =_start
	lsr	r5, r5, #20		@ first section, linked
	ldr	r6, =__kernel_end
	sub	r6, r6, #1
	lsr	r6, r6, #20		@ last section, linked
	ldr	r8, =ARCH_BOOT_SECTION_ATTRS
2:	add	r7, r10, r5, lsl #20	@ the section's physical base
	orr	r9, r7, r8
	str	r9, [r4, r5, lsl #2]	@ linked address
	lsr	r7, r7, #20
	str	r9, [r4, r7, lsl #2]	@ physical address
	add	r5, r5, #1
	cmp	r5, r6
	bls	2b

	/*
	 * MMU on with TTBCR.N = 0 (TTBR0 translates every address, through
	 * the table just built; table walks non-cacheable, as the caches are
	 * off), domain 0 a client, and the TLBs, I-cache and branch predictor
	 * holding nothing from before (B3.10.2, B2.2.7). SCTLR: no alignment
	 * checks, no high vectors, no TEX remap or access flag (the
	 * descriptors mean what they say), D-cache and I-cache off.
	 */
	mov	r0, #0
	mcr	p15, 0, r0, c2, c0, 2	@ TTBCR
	mcr	p15, 0, r4, c2, c0, 0	@ TTBR0
	mov	r0, #ARCH_BOOT_DACR
	mcr	p15, 0, r0, c3, c0, 0	@ DACR
	mov	r0, #0
	mcr	p15, 0, r0, c8, c7, 0	@ TLBIALL
	mcr	p15, 0, r0, c7, c5, 0	@ ICIALLU
	mcr	p15, 0, r0, c7, c5, 6	@ BPIALL
	dsb
	isb
	mrc	p15, 0, r0, c1, c0, 0	@ SCTLR
	bic	r0, r0, #(SCTLR_A_BIT | SCTLR_C_BIT)
	bic	r0, r0, #(SCTLR_I_BIT | SCTLR_V_BIT)
	bic	r0, r0, #(SCTLR_TRE_BIT | SCTLR_AFE_BIT)
	orr	r0, r0, #SCTLR_M_BIT
	mcr	p15, 0, r0, c1, c0, 0
	isb
	ldr	pc, =linked		@ from the physical alias to the linked address

linked:
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

	bl	arch_mmu_enable
	bl	kmain
3:	wfi
	b	3b
	.ltorg

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
