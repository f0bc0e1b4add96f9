/*
 * page.S (armv7) - pmap_zero_page and pmap_copy_page, overriding the weak
 * C defaults of arch/generic/page.c with the fewest instructions the core
 * registers allow: an LDM or STM of eight registers moves 32 bytes, one
 * Cortex-A9 cache line, in one instruction.
 *
 * A frame's physical address plus PMAP_DIRECT_MAP_OFFSET is its pointer
 * (pmap_kva). A frame is page aligned: after each unrolled
 * block the pointer's bits below 4 KiB say whether the page is done, and
 * no loop counter is needed.
 *
 * Guest instructions per call, the call included (QEMU -icount, 1000 calls
 * timed at boot, before the direct-map offset added two: ./calf bench now
 * reports 163 and 417 with its loop): pmap_zero_page 156 (128 STMs, 16 per 512-byte block),
 * pmap_copy_page 408 (128 LDM/STM pairs, 16 per block, a PLD for each
 * 32-byte line: one every 64 bytes would save 64 instructions, but leave
 * every other line to a demand miss on the A9). The C defaults, a
 * word-at-a-time memset and a memcpy unrolled by four, took 3099 and 3362.
 * Only r0-r12 and lr are used (AAPCS: r4-r8 saved and restored), never
 * VFP/NEON, so a user task's floating-point state is not touched. NEON's
 * VSTM of sixteen D registers would store 128 bytes per instruction, but
 * the kernel would then have to save and restore the task's D registers
 * and FPEXC around it; the core registers already meet the target.
 */
#include <pmap_md.h>

	.syntax unified
	.arm
	.text

#define PAGE_SIZE 4096		/* mm/pmap.h; pmap.c asserts it */
#define ZERO_BLOCK 512		/* bytes per unrolled block: 16 STMs */
#define COPY_BLOCK 512		/* 16 LDM/STM pairs */
#define PLD_AHEAD 128		/* four lines ahead: the first four are prefetched before the loop */

@ void pmap_zero_page(paddr_t pa)
	.global	pmap_zero_page
	.type	pmap_zero_page, %function
pmap_zero_page:
	push	{r4-r6, lr}
	ldr	r1, =PMAP_DIRECT_MAP_OFFSET
	add	r0, r0, r1
	mov	r1, #0
	mov	r2, #0
	mov	r3, #0
	mov	r4, #0
	mov	r5, #0
	mov	r6, #0
	mov	r12, #0
	mov	lr, #0
1:
	.rept	ZERO_BLOCK / 32
	stmia	r0!, {r1-r6, r12, lr}
	.endr
	tst	r0, #(PAGE_SIZE - ZERO_BLOCK)	@ zero only past the page's last block
	bne	1b
	pop	{r4-r6, pc}
	.size	pmap_zero_page, . - pmap_zero_page

@ void pmap_copy_page(paddr_t src, paddr_t dst)
	.global	pmap_copy_page
	.type	pmap_copy_page, %function
pmap_copy_page:
	push	{r4-r8, lr}
	ldr	r2, =PMAP_DIRECT_MAP_OFFSET
	add	r0, r0, r2
	add	r1, r1, r2
	pld	[r0]
	pld	[r0, #32]
	pld	[r0, #64]
	pld	[r0, #96]
1:
	.rept	COPY_BLOCK / 32
	pld	[r0, #PLD_AHEAD]	@ a hint: never faults, also past the page's end
	ldmia	r0!, {r2-r8, lr}
	stmia	r1!, {r2-r8, lr}
	.endr
	tst	r0, #(PAGE_SIZE - COPY_BLOCK)
	bne	1b
	pop	{r4-r8, pc}
	.size	pmap_copy_page, . - pmap_copy_page
	.ltorg
