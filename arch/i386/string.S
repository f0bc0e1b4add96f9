/*
 * string.S (i386) - memcpy and memset, overriding the weak C versions of
 * kernel/lib.c: exec loads a program's segments with memcpy, and claiming
 * a task or file slot clears it with memset.
 *
 * REP MOVSL / REP STOSL move a word per iteration, which QEMU -icount
 * counts as one instruction each (page.S has the figures: 1042 for a page
 * copied, against 3132 for the C loop); the last 0..3 bytes go by REP
 * MOVSB / STOSB. The direction flag is clear: the SysV ABI keeps it so at
 * every call, and the kernel never sets it.
 */
	.text

/* void *memcpy(void *dst, const void *src, size_t n) */
	.global	memcpy
	.type	memcpy, @function
memcpy:
	pushl	%edi
	pushl	%esi
	movl	12(%esp), %edi
	movl	16(%esp), %esi
	movl	20(%esp), %ecx
	movl	%edi, %eax		/* the return value */
	movl	%ecx, %edx
	shrl	$2, %ecx
	rep movsl
	movl	%edx, %ecx
	andl	$3, %ecx
	rep movsb
	popl	%esi
	popl	%edi
	ret
	.size	memcpy, . - memcpy

/* void *memset(void *dst, int c, size_t n) */
	.global	memset
	.type	memset, @function
memset:
	pushl	%edi
	movl	8(%esp), %edi
	movzbl	12(%esp), %eax
	movl	16(%esp), %ecx
	imull	$0x01010101, %eax, %eax	/* the byte in every lane of the word */
	movl	%ecx, %edx
	shrl	$2, %ecx
	rep stosl
	movl	%edx, %ecx
	andl	$3, %ecx
	rep stosb
	movl	8(%esp), %eax
	popl	%edi
	ret
	.size	memset, . - memset
