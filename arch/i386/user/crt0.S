/*
 * crt0.S (i386) - app entry. The kernel enters at CPL 3 with EAX = argc,
 * EDX = argv, ECX = envp and ESP at argc, below them and their strings (the
 * System V layout: kernel/exec.h); .bss is already zero (zero-filled on
 * demand). envp becomes newlib's environ before any constructor runs, so
 * getenv works from the start.
 */
#include <calf/abi.h>

	.section .text.start, "ax"
	.global _start
	.type	_start, @function
_start:
	movl	%eax, %esi		/* argc, argv, envp: kept in callee-saved registers */
	movl	%edx, %edi
	movl	%ecx, %ebx
	movl	%ebx, environ
	xorl	%ebp, %ebp		/* the outermost frame, for debuggers */
	andl	$-16, %esp		/* i386 SysV: 16-byte aligned at every call */
	call	__libc_init_array	/* constructors */
	subl	$12, %esp
	pushl	$__libc_fini_array
	call	atexit
	addl	$16, %esp
	subl	$4, %esp
	pushl	%ebx			/* envp */
	pushl	%edi
	pushl	%esi
	call	main
	addl	$16, %esp
	subl	$12, %esp
	pushl	%eax
	call	exit

	/* newlib's __libc_init_array calls _init and _fini from crti: none here. */
	.text
	.global _init
	.type	_init, @function
	.global _fini
	.type	_fini, @function
_init:
_fini:
	ret

/* int32_t calf_syscall(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2) */
	.global calf_syscall
	.type	calf_syscall, @function
calf_syscall:
	pushl	%ebx
	movl	8(%esp), %eax
	movl	12(%esp), %ebx
	movl	16(%esp), %ecx
	movl	20(%esp), %edx
	int	$CALF_I386_SYSCALL_VECTOR
	popl	%ebx
	ret

/* int32_t calf_syscall4(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3): a3 in esi */
	.global calf_syscall4
	.type	calf_syscall4, @function
calf_syscall4:
	pushl	%ebx
	pushl	%esi
	movl	12(%esp), %eax
	movl	16(%esp), %ebx
	movl	20(%esp), %ecx
	movl	24(%esp), %edx
	movl	28(%esp), %esi
	int	$CALF_I386_SYSCALL_VECTOR
	popl	%esi
	popl	%ebx
	ret

/*
 * int32_t calf_thread_spawn_raw(int (*fn)(void *), void *arg, void *stack_top)
 * The child starts on its own stack, so it cannot return through C frames:
 * it calls fn(arg) here and exits with its result. It keeps the parent's
 * registers, so fn and arg travel in ESI and EDI.
 */
	.global calf_thread_spawn_raw
	.type	calf_thread_spawn_raw, @function
calf_thread_spawn_raw:
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	16(%esp), %esi
	movl	20(%esp), %edi
	movl	$CALF_SYS_clone, %eax
	movl	$CALF_CLONE_VM, %ebx
	movl	24(%esp), %ecx
	int	$CALF_I386_SYSCALL_VECTOR
	testl	%eax, %eax
	jnz	1f
	andl	$-16, %esp
	subl	$12, %esp
	pushl	%edi
	call	*%esi
	movl	%eax, %ebx
	movl	$CALF_SYS_exit, %eax
	int	$CALF_I386_SYSCALL_VECTOR
1:	popl	%edi
	popl	%esi
	popl	%ebx
	ret
