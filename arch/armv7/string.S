/*
 * string.S (armv7) - memcpy and memset, overriding the weak C versions of
 * kernel/lib.c: exec loads a program's segments with memcpy, and claiming
 * a task or file slot clears it with memset.
 *
 * Past the first misaligned bytes an LDM/STM of eight registers moves 32
 * bytes, as pmap_copy_page does (page.S): 4 instructions per 32 bytes
 * copied and 3 per 32 bytes set, where the C loops take 12 per 16 bytes
 * and 4 per word. exec's segment copy made fork+exec+exit+wait 91,927
 * instructions with the C memcpy and 50,730 with this one (vexpress-a9,
 * docs/benchmarks.md).
 *
 * Pointers whose misalignment differs are copied a byte at a time: the
 * word loads that would avoid it are unaligned, which the MMU-off boot
 * (Strongly-ordered memory, ARM ARM A3.5.6) refuses. No caller moves much
 * that way: user copies and program segments are word aligned on both
 * sides.
 */
	.syntax unified
	.arm
	.text

@ void *memcpy(void *dst, const void *src, size_t n)
	.global	memcpy
	.type	memcpy, %function
memcpy:
	mov	ip, r0			@ the return value; r0 walks dst
	eor	r3, r0, r1
	tst	r3, #3
	bne	.Lcpy_bytes		@ never both aligned: byte by byte
.Lcpy_align:
	tst	r0, #3			@ same misalignment: bytes up to a word boundary
	beq	.Lcpy_aligned
	subs	r2, r2, #1
	bmi	.Lcpy_done
	ldrb	r3, [r1], #1
	strb	r3, [r0], #1
	b	.Lcpy_align
.Lcpy_aligned:
	subs	r2, r2, #32
	blo	.Lcpy_words
	push	{r4-r10}
1:	ldm	r1!, {r3-r10}
	subs	r2, r2, #32
	stm	r0!, {r3-r10}
	bhs	1b
	pop	{r4-r10}
.Lcpy_words:
	adds	r2, r2, #28		@ 0..31 left, less one word
	bmi	.Lcpy_tail
2:	ldr	r3, [r1], #4
	subs	r2, r2, #4
	str	r3, [r0], #4
	bpl	2b
.Lcpy_tail:
	add	r2, r2, #4		@ 0..3 left
.Lcpy_bytes:
	subs	r2, r2, #1
	bmi	.Lcpy_done
3:	ldrb	r3, [r1], #1
	subs	r2, r2, #1
	strb	r3, [r0], #1
	bpl	3b
.Lcpy_done:
	mov	r0, ip
	bx	lr
	.size	memcpy, . - memcpy

@ void *memset(void *dst, int c, size_t n)
	.global	memset
	.type	memset, %function
memset:
	mov	ip, r0
	and	r1, r1, #0xff
	orr	r1, r1, r1, lsl #8
	orr	r1, r1, r1, lsl #16	@ the byte in every lane of the word
.Lset_align:
	tst	r0, #3
	beq	.Lset_aligned
	subs	r2, r2, #1
	bmi	.Lset_done
	strb	r1, [r0], #1
	b	.Lset_align
.Lset_aligned:
	subs	r2, r2, #32
	blo	.Lset_words
	push	{r4-r8, lr}		@ lr is the eighth register of the block
	mov	r3, r1
	mov	r4, r1
	mov	r5, r1
	mov	r6, r1
	mov	r7, r1
	mov	r8, r1
	mov	lr, r1
1:	stm	r0!, {r1, r3-r8, lr}
	subs	r2, r2, #32
	bhs	1b
	pop	{r4-r8, lr}
.Lset_words:
	adds	r2, r2, #28
	bmi	.Lset_tail
2:	str	r1, [r0], #4
	subs	r2, r2, #4
	bpl	2b
.Lset_tail:
	add	r2, r2, #4
	subs	r2, r2, #1
	bmi	.Lset_done
3:	strb	r1, [r0], #1
	subs	r2, r2, #1
	bpl	3b
.Lset_done:
	mov	r0, ip
	bx	lr
	.size	memset, . - memset
