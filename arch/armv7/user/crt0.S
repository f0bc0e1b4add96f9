/*
 * crt0.S (armv7) - app entry. The kernel enters in USR mode with r0 = argc,
 * r1 = argv, r2 = envp and sp at argc, below them and their strings (the
 * System V layout: kernel/exec.h); .bss is already zero (zero-filled on
 * demand). envp becomes newlib's environ before any constructor runs, so
 * getenv works from the start.
 */
#include <calf/abi.h>

	.syntax unified
	.arm

	.section .text.start, "ax"
	.global _start
	.type	_start, %function
_start:
	mov	r4, r0			@ argc
	mov	r5, r1			@ argv
	mov	r6, r2			@ envp
	ldr	r3, =environ
	str	r6, [r3]
	mov	fp, #0
	bl	__libc_init_array	@ constructors
	ldr	r0, =__libc_fini_array
	bl	atexit
	mov	r0, r4
	mov	r1, r5
	mov	r2, r6
	bl	main
	bl	exit

	/* newlib's __libc_init_array calls _init and _fini from crti: none here. */
	.text
	.global _init
	.type	_init, %function
	.global _fini
	.type	_fini, %function
_init:
_fini:
	bx	lr

@ int32_t calf_syscall(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2)
	.global calf_syscall
	.type	calf_syscall, %function
calf_syscall:
	push	{r7, lr}
	mov	r7, r0
	mov	r0, r1
	mov	r1, r2
	mov	r2, r3
	svc	#0
	pop	{r7, pc}

@ int32_t calf_syscall4(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
@ AAPCS passes the fifth argument on the stack: a3 goes to r3 from there.
	.global calf_syscall4
	.type	calf_syscall4, %function
calf_syscall4:
	push	{r7, lr}
	mov	r7, r0
	mov	r0, r1
	mov	r1, r2
	mov	r2, r3
	ldr	r3, [sp, #8]
	svc	#0
	pop	{r7, pc}

@ int32_t calf_thread_spawn_raw(int (*fn)(void *), void *arg, void *stack_top)
@ The child starts on its own stack, so it cannot return through C frames:
@ it calls fn(arg) here and exits with its result.
	.global calf_thread_spawn_raw
	.type	calf_thread_spawn_raw, %function
calf_thread_spawn_raw:
	push	{r4, r5, r7, lr}
	mov	r4, r0
	mov	r5, r1
	mov	r1, r2
	mov	r0, #CALF_CLONE_VM
	mov	r7, #CALF_SYS_clone
	svc	#0
	cmp	r0, #0
	bne	1f
	mov	r0, r5
	blx	r4
	mov	r7, #CALF_SYS_exit
	svc	#0
1:	pop	{r4, r5, r7, pc}
