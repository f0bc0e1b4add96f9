/*
 * vectors.S - exception vectors, trap entry and exit, context switch.
 *
 * Every exception lands on the current task's SVC (kernel) stack: SRS saves
 * the return address and SPSR there, CPS switches to SVC, then the rest of
 * struct trapframe is pushed (see arch_md.h). Kernel code runs with IRQs
 * open (arch_trap opens them), so an IRQ may nest on the SVC stack over a
 * system call or fault of the same task; the frame keeps SVC lr for it.
 * The IRQ handler runs with IRQs masked, so there is at most one such
 * level.
 */
#include "trap_kinds.h"

	.syntax unified
	.arm

	.section .text.vectors, "ax"
	.balign	32
	.global arch_vectors
	.type	arch_vectors, %function
arch_vectors:
	b	.			@ reset: never taken once booted
	b	vec_undef
	b	vec_svc
	b	vec_pabt
	b	vec_dabt
	b	.			@ reserved
	b	vec_irq
	b	vec_fiq

	.text

/*
 * TRAP_FRAME_CFI: from here on r4 holds the trap frame (struct trapframe,
 * arch_md.h), which the C handlers keep (AAPCS: callee-saved), so a
 * debugger unwinds from any handler back into the interrupted code, user
 * or kernel: CFA = the frame's end (r4 + 72: the SVC sp before the
 * exception); pc from the frame's return address (the return column is
 * r15, not lr: the interrupted lr is a register like the others); r0-r12
 * from the frame. The interrupted sp and lr depend on the mode SPSR
 * records (its low four bits are 0 for user mode): the banked user ones
 * saved at the frame's start, or for an exception taken in SVC mode the
 * CFA itself and the saved SVC lr. DWARF expressions (DWARF 5, 6.4.2 and
 * 2.5.1) pick them:
 *   sp: spsr & 15 ? r4 + 72 : *(r4 + 0)       (DW_CFA_val_expression)
 *   lr: at spsr & 15 ? r4 + 60 : r4 + 4        (DW_CFA_expression)
 * The directives go to .debug_frame, which nothing loads.
 */
	.cfi_sections .debug_frame
	.macro	TRAP_FRAME_CFI
	.cfi_signal_frame		@ pc is where the exception struck, not a return address
	.cfi_return_column r15
	.cfi_def_cfa r4, 72
	.cfi_offset r15, -8
	.cfi_offset r0, -64
	.cfi_offset r1, -60
	.cfi_offset r2, -56
	.cfi_offset r3, -52
	.cfi_offset r4, -48
	.cfi_offset r5, -44
	.cfi_offset r6, -40
	.cfi_offset r7, -36
	.cfi_offset r8, -32
	.cfi_offset r9, -28
	.cfi_offset r10, -24
	.cfi_offset r11, -20
	.cfi_offset r12, -16
	@ DW_CFA_val_expression r13: breg4 68, deref, lit15, and, bra +6; breg4 0, deref, skip +3; breg4 72
	.cfi_escape 0x16, 13, 18, 0x74, 0xc4, 0x00, 0x06, 0x3f, 0x1a, 0x28, 0x06, 0x00, 0x74, 0x00, 0x06, 0x2f, 0x03, 0x00, 0x74, 0xc8, 0x00
	@ DW_CFA_expression r14: breg4 68, deref, lit15, and, bra +5; breg4 4, skip +2; breg4 60
	.cfi_escape 0x10, 14, 16, 0x74, 0xc4, 0x00, 0x06, 0x3f, 0x1a, 0x28, 0x05, 0x00, 0x74, 0x04, 0x2f, 0x02, 0x00, 0x74, 0x3c
	.endm

@ TRAP_ENTRY adjust, kind, handler: build a trapframe and call arch_trap(tf, kind),
@ or handler(tf) for an exception with an entry of its own.
	.macro	TRAP_ENTRY adjust, kind, handler=arch_trap
	.cfi_startproc
	.if	\adjust
	sub	lr, lr, #\adjust	@ lr points at the instruction to resume (ARM ARM B1.8)
	.endif
	srsdb	sp!, #0x13		@ push lr and SPSR onto the SVC stack
	cps	#0x13
	push	{r0-r12, lr}		@ r0-r12 and SVC lr
	sub	sp, sp, #8
	stmia	sp, {sp, lr}^		@ banked user sp and lr
	mov	r0, sp
	.ifc	\handler, arch_trap
	mov	r1, #\kind
	.endif
	mov	r4, sp
	TRAP_FRAME_CFI
	bic	sp, sp, #7		@ AAPCS wants 8-byte alignment at calls
	bl	\handler
	mov	sp, r4
	b	trap_exit
	.cfi_endproc
	.endm

vec_undef:	TRAP_ENTRY 4, TRAP_UNDEF
vec_svc:	TRAP_ENTRY 0, TRAP_SVC, arch_trap_svc	@ the two common ones: no dispatch
vec_pabt:	TRAP_ENTRY 4, TRAP_PABT
vec_dabt:	TRAP_ENTRY 8, TRAP_DABT, arch_trap_dabt
vec_irq:	TRAP_ENTRY 4, TRAP_IRQ
vec_fiq:	TRAP_ENTRY 4, TRAP_FIQ

	.global trap_exit
	.type	trap_exit, %function
trap_exit:
	ldmia	sp, {sp, lr}^
	nop				@ no banked-register access right after LDM ^
	add	sp, sp, #8
	pop	{r0-r12, lr}
	rfeia	sp!

@ void arch_context_switch(struct arch_context **from, struct arch_context *to)
	.global arch_context_switch
	.type	arch_context_switch, %function
arch_context_switch:
	clrex				@ a task's LDREX must not pair with another's STREX (ARM ARM A3.4.5)
	push	{r4-r11, lr}
	str	sp, [r0]
	mov	sp, r1
	pop	{r4-r11, lr}
	bx	lr

@ First run of a task: sp is at its trap frame, built by arch_context_new().
	.global arch_task_trampoline
	.type	arch_task_trampoline, %function
arch_task_trampoline:
	mov	r0, sp
	bl	trap_first_return
	b	trap_exit
