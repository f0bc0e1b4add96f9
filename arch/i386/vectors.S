/*
 * vectors.S (i386) - interrupt and exception entry, trap exit, context
 * switch.
 *
 * Every gate is an interrupt gate, so each entry starts with interrupts
 * off; arch_trap opens them for system calls and faults from user mode
 * (the kernel is preemptible) and an interrupt may then nest on the same
 * kernel stack, one level deep. From user mode the CPU switches to the kernel stack named
 * by the TSS (esp0); trap_exit points esp0 at the top of the frame it is
 * about to leave, which is the top of the returning task's kernel stack.
 * The frame is struct trapframe (arch_md.h).
 */
#include <arch_md.h>	/* SEL_KDATA, TF_CS, TF_SIZE, CTX_FPU_SIZE */
#include "vectors.h"

#define TSS_ESP0 4	/* offsetof(struct tss, esp0), asserted in cpu.c */

	.text

	.section .rodata
	.balign	4
	.global arch_trap_stubs
arch_trap_stubs:			/* entry address of each STUB, in vector order */
	.text

/* Vectors with no CPU error code push a zero, so every frame has one (SDM vol. 3 6.13). */
	.altmacro
.macro STUB vec
	.pushsection .rodata
	.long	stub_\vec
	.popsection
	.balign 16
stub_\vec:
	.if (\vec == VEC_DF) || (\vec >= VEC_TS && \vec <= VEC_PF) || (\vec == VEC_AC)
	.else
	pushl	$0
	.endif
	pushl	$\vec
	jmp	trap_entry
.endm

	.set	vec, 0
	.rept	VEC_STUBS
	STUB	%vec
	.set	vec, vec + 1
	.endr

	.global arch_syscall_stub
	.balign 16
arch_syscall_stub:
	pushl	$0
	pushl	$VEC_SYSCALL
	jmp	trap_entry

/*
 * From the call of arch_trap on, esp + 4 is the trap frame (struct
 * trapframe, arch_md.h), so a debugger unwinds from any handler back into
 * the interrupted code: CFA = esp + 80 (the frame's end, frame + 76, as
 * seen at the call), eip and the general registers from the frame. The interrupted esp
 * depends on the privilege level in the saved CS (SDM vol. 3 6.12.1): from
 * user mode the CPU saved it (frame + 68), from the kernel it is the
 * frame's end without esp and ss (frame + 68 itself). A DWARF expression
 * (DWARF 5, 6.4.2, 2.5.1) picks it, as DW_CFA_val_expression esp:
 *   cs & 3 ? *(esp + 72) : esp + 72
 * The directives go to .debug_frame, which nothing loads.
 */
	.cfi_sections .debug_frame
trap_entry:
	.cfi_startproc
	pushal
	pushl	%ds
	pushl	%es
	pushl	%fs
	pushl	%gs
	movl	$SEL_KDATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	cld				/* the C ABI expects DF clear */
	pushl	%esp			/* arch_trap(tf) */
	.cfi_signal_frame		/* eip is where the trap struck, not a return address */
	.cfi_def_cfa esp, 80
	.cfi_offset eip, -20
	.cfi_offset eax, -32
	.cfi_offset ecx, -36
	.cfi_offset edx, -40
	.cfi_offset ebx, -44
	.cfi_offset ebp, -52
	.cfi_offset esi, -56
	.cfi_offset edi, -60
	/* DW_CFA_val_expression esp: breg4 64, deref, lit3, and, bra +6; breg4 72, skip +4; breg4 72, deref */
	.cfi_escape 0x16, 4, 19, 0x74, 0xc0, 0x00, 0x06, 0x33, 0x1a, 0x28, 0x06, 0x00, 0x74, 0xc8, 0x00, 0x2f, 0x04, 0x00, 0x74, 0xc8, 0x00, 0x06
	call	arch_trap
	addl	$4, %esp
	.cfi_endproc

	.global trap_exit
trap_exit:
	testl	$3, TF_CS(%esp)
	jz	1f
	leal	TF_SIZE(%esp), %eax
	movl	%eax, arch_tss + TSS_ESP0
1:	popl	%gs
	popl	%fs
	popl	%es
	popl	%ds
	popal
	addl	$8, %esp		/* vector and error code */
	iret


/*
 * void arch_context_switch(struct arch_context **from, struct arch_context *to)
 * Saves the callee-saved registers and the floating-point state as struct
 * arch_context on this stack, then resumes to. With arch_sse (cpu.c) the
 * state is FXSAVE's image at the first 16-byte boundary of the fpu area
 * (the same offset on the way back: a context resumes at the esp it was
 * saved at); otherwise FNSAVE's, at its start.
 */
	.global arch_context_switch
arch_context_switch:
	movl	4(%esp), %eax
	movl	8(%esp), %edx
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	subl	$CTX_FPU_SIZE, %esp
	cmpl	$0, arch_sse
	je	3f
	leal	15(%esp), %ecx
	andl	$-16, %ecx
	fxsave	(%ecx)
1:	movl	%esp, (%eax)
	movl	%edx, %esp
	cmpl	$0, arch_sse
	je	4f
	leal	15(%esp), %ecx
	andl	$-16, %ecx
	fxrstor	(%ecx)
2:	addl	$CTX_FPU_SIZE, %esp
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret
3:	fnsave	(%esp)			/* x87 only; also resets the FPU */
	jmp	1b
4:	frstor	(%esp)
	jmp	2b

/* First run of a task: esp is at its trap frame, built by arch_context_new(). */
	.global arch_task_trampoline
arch_task_trampoline:
	pushl	%esp
	call	trap_first_return
	addl	$4, %esp
	jmp	trap_exit
