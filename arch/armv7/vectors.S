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

@ TRAP_ENTRY adjust, kind, handler: build a trapframe and call arch_trap(tf, kind),
@ or handler(tf) for an exception with an entry of its own.
	.macro	TRAP_ENTRY adjust, kind, handler=arch_trap
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
	bic	sp, sp, #7		@ AAPCS wants 8-byte alignment at calls
	bl	\handler
	mov	sp, r4
	b	trap_exit
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
