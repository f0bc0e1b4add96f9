/*
 * page.S (i386) - pmap_zero_page and pmap_copy_page, overriding the weak
 * C defaults of arch/generic/page.c.
 *
 * RAM is mapped at its physical address (pmap_kva), so a frame's physical
 * address is the pointer. With SSE (arch_sse, cpu.c) a MOVAPS moves 16
 * bytes per instruction; MOVAPS and XORPS are bit-exact moves, so SSE (not
 * SSE2) is enough. Without, REP STOSL / REP MOVSL.
 *
 * These run in page faults and system calls, while the current task's
 * x87, MMX and XMM registers are live in the CPU (arch_context_switch
 * saves them only at a task switch), so the XMM registers used here are
 * saved on the stack first and restored before returning. Nothing else
 * of the FPU is touched: MOVAPS and XORPS neither read nor change MXCSR.
 *
 * Guest instructions per call, the call included (QEMU -icount, which
 * counts each iteration of a REP instruction as one; 1000 calls timed at
 * boot, QEMU 7.2 qemu32):
 *
 *   form                                      zero   copy
 *   C memset/memcpy (arch/generic/page.c)     4141   3132
 *   REP STOSL / REP MOVSL                     1037   1042
 *   MMX MOVQ, FNSAVE/FRSTOR + EMMS around      591   1106
 *   SSE MOVAPS, used XMM saved and restored    302    567
 *
 * SSE takes both; the REP forms are the fallback without it.
 */
#define PAGE_SIZE 4096		/* mm/pmap.h; pmap.c asserts it */
#define BLOCK 256		/* bytes per unrolled block: 16 MOVAPS */

	.text

/*
 * void pmap_zero_page(paddr_t pa)
 * The index runs from -PAGE_SIZE up to 0 against the page's end, so the
 * ADD that steps it also ends the loop.
 */
	.global	pmap_zero_page
	.type	pmap_zero_page, @function
pmap_zero_page:
	movl	4(%esp), %edx
	cmpl	$0, arch_sse
	je	zero_rep
	subl	$16, %esp
	movups	%xmm0, (%esp)		/* the task's xmm0 */
	xorps	%xmm0, %xmm0
	addl	$PAGE_SIZE, %edx
	movl	$-PAGE_SIZE, %ecx
1:
	.irp	off, 0, 16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240
	movaps	%xmm0, \off(%edx,%ecx)
	.endr
	addl	$BLOCK, %ecx
	jnz	1b
	movups	(%esp), %xmm0
	addl	$16, %esp
	ret
zero_rep:
	pushl	%edi
	movl	%edx, %edi
	xorl	%eax, %eax
	movl	$PAGE_SIZE / 4, %ecx
	rep stosl			/* DF is clear in the kernel (trap_entry) */
	popl	%edi
	ret
	.size	pmap_zero_page, . - pmap_zero_page

/* void pmap_copy_page(paddr_t src, paddr_t dst) */
	.global	pmap_copy_page
	.type	pmap_copy_page, @function
pmap_copy_page:
	movl	4(%esp), %eax
	movl	8(%esp), %edx
	cmpl	$0, arch_sse
	je	copy_rep
	subl	$64, %esp
	movups	%xmm0, (%esp)		/* the task's xmm0-xmm3 */
	movups	%xmm1, 16(%esp)
	movups	%xmm2, 32(%esp)
	movups	%xmm3, 48(%esp)
	addl	$PAGE_SIZE, %eax
	addl	$PAGE_SIZE, %edx
	movl	$-PAGE_SIZE, %ecx
1:
	.irp	off, 0, 64, 128, 192
	movaps	\off(%eax,%ecx), %xmm0
	movaps	\off+16(%eax,%ecx), %xmm1
	movaps	\off+32(%eax,%ecx), %xmm2
	movaps	\off+48(%eax,%ecx), %xmm3
	movaps	%xmm0, \off(%edx,%ecx)
	movaps	%xmm1, \off+16(%edx,%ecx)
	movaps	%xmm2, \off+32(%edx,%ecx)
	movaps	%xmm3, \off+48(%edx,%ecx)
	.endr
	addl	$BLOCK, %ecx
	jnz	1b
	movups	(%esp), %xmm0
	movups	16(%esp), %xmm1
	movups	32(%esp), %xmm2
	movups	48(%esp), %xmm3
	addl	$64, %esp
	ret
copy_rep:
	pushl	%esi
	pushl	%edi
	movl	%eax, %esi
	movl	%edx, %edi
	movl	$PAGE_SIZE / 4, %ecx
	rep movsl
	popl	%edi
	popl	%esi
	ret
	.size	pmap_copy_page, . - pmap_copy_page
