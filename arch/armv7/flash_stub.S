/*
 * flash_stub.S - what a board's boot ROM does for a kernel kept in NOR
 * flash: the first bytes of a flash image made by cmake/flash-image.sh.
 * The CPU leaves reset here (vexpress-a9: NOR flash 0 is aliased at 0, the
 * reset vector; QEMU hw/arm/vexpress.c maps "vexpress.flashalias" there).
 * It copies each of the kernel's loadable segments from flash to its
 * physical load address (the ELF's p_paddr), zeroes the rest of each
 * segment (p_memsz beyond p_filesz: .bss), and enters the kernel at its
 * entry's physical address in the state QEMU's -kernel loader and U-Boot's
 * bootm leave (Linux's ARM boot protocol, which arch/armv7/boot.S assumes):
 * SVC mode, IRQ and FIQ masked, MMU and D-cache off, I-cache holding
 * nothing stale. Position-independent: it runs at the alias (0) or at the
 * flash's own address (0x40000000, e.g. U-Boot's "go 40000000").
 *
 * The table cmake/flash-image.sh appends right after this code (at
 * stub_end, 16-byte aligned), little-endian words:
 *   "CALF" magic, entry's physical address, segment count N, then N times
 *   { offset in the flash image, physical address, file size, memory size }.
 */
	.syntax unified
	.arm

#define TABLE_MAGIC 0x464c4143	/* "CALF" read as a little-endian word */
#define SCTLR_M (1 << 0)
#define SCTLR_C (1 << 2)
#define SCTLR_I (1 << 12)

	.section .text.stub, "ax"
	.global _start
	/* The exception vectors until the kernel sets its own: only reset leads anywhere. */
_start:
	b	stub_reset
	b	.			@ undefined instruction
	b	.			@ SVC
	b	.			@ prefetch abort
	b	.			@ data abort
	b	.			@ (reserved)
	b	.			@ IRQ
	b	.			@ FIQ

/* Reset: one CPU goes on, the others wait; caches off; copy; enter the kernel. */
stub_reset:
	cpsid	aif
	cps	#0x13			@ SVC mode
	/* Every core of an MPCore leaves reset here (CoreTile A9x4): only CPU 0 boots. */
	mrc	p15, 0, r0, c0, c0, 5	@ MPIDR (ARM ARM B4.1.106)
	ands	r0, r0, #3
	bne	stub_park
	mrc	p15, 0, r0, c1, c0, 0	@ SCTLR
	tst	r0, #SCTLR_C
	blne	stub_dcache_clean	@ entered from a loader that ran with the D-cache on
	mrc	p15, 0, r0, c1, c0, 0
	bic	r0, r0, #(SCTLR_M | SCTLR_C)	@ MMU and caches off, as the kernel expects
	bic	r0, r0, #SCTLR_I		@ (all three are off already from reset)
	mcr	p15, 0, r0, c1, c0, 0
	isb
	adr	r4, _start		@ where the flash is seen
	adr	r5, stub_end		@ the table
	ldr	r0, [r5], #4
	ldr	r1, =TABLE_MAGIC
	cmp	r0, r1
	bne	stub_park		@ no kernel appended
	ldm	r5!, {r6, r7}		@ entry, segment count
1:	subs	r7, r7, #1
	bmi	2f
	ldm	r5!, {r0-r3}		@ offset, physical address, file size, memory size
	add	r0, r0, r4
	bl	stub_segment_load
	b	1b
2:	bl	stub_icache_sync
	mov	r0, #0			@ r0-r2 as QEMU's loader passes them; boot.S reads
	mov	r1, #0			@ none of them, and there are no ATAGS or DTB here
	mov	r2, #0
	bx	r6

/* A core that does not boot, or flash with no kernel: wait for ever. */
stub_park:
	wfe
	b	stub_park

/*
 * Copy r2 bytes from r0 to r1, then zero up to r3 bytes from r1 (p_memsz
 * >= p_filesz). Word-sized while the source and destination allow it,
 * bytes for the ends. Clobbers r0-r3, r8-r9.
 */
stub_segment_load:
	sub	r3, r3, r2		@ bytes to zero after the copy
	orr	r8, r0, r1
	tst	r8, #3
	bne	2f			@ unaligned: bytes only
1:	cmp	r2, #4
	blo	2f
	ldr	r8, [r0], #4
	str	r8, [r1], #4
	sub	r2, r2, #4
	b	1b
2:	subs	r2, r2, #1
	ldrbpl	r8, [r0], #1
	strbpl	r8, [r1], #1
	bpl	2b
	mov	r8, #0
3:	subs	r3, r3, #1
	strbpl	r8, [r1], #1
	bpl	3b
	bx	lr

/*
 * The kernel was written through the data side with the D-cache off, so
 * it is in memory; the I-cache and branch predictor may still hold what
 * was at those addresses before (a warm reset, a loader's code). Make the
 * new instructions visible before executing them: ARM ARM B2.2.9 (ordering
 * of cache and branch predictor maintenance), DSB then ICIALLU and BPIALL
 * (B4.2.1), DSB, ISB.
 */
stub_icache_sync:
	dsb
	mov	r0, #0
	mcr	p15, 0, r0, c7, c5, 0	@ ICIALLU
	mcr	p15, 0, r0, c7, c5, 6	@ BPIALL
	dsb
	isb
	bx	lr

/*
 * Entered with the D-cache on (a loader jumped here): clean and invalidate
 * every data and unified cache up to the point of coherency by set/way
 * (ARM ARM B2.2.7 and its set/way example, CLIDR/CSSELR/CCSIDR: B4.1.20,
 * B4.1.41, B4.1.19), so that nothing the loader left dirty is lost when the
 * caches go off. Not done from a cold reset: there the Cortex-A9's caches
 * are off and may hold random lines (Cortex-A9 TRM, "Cache operations at
 * reset"), which a clean would write to memory; the kernel invalidates
 * them itself (arch/armv7/mmu.c) before turning them on. An outer L2
 * (PL310) a loader left on is its business: U-Boot's bootm turns it off.
 * Clobbers r0-r11.
 */
stub_dcache_clean:
	mrc	p15, 1, r0, c0, c0, 1	@ CLIDR
	ands	r3, r0, #0x07000000
	mov	r3, r3, lsr #23		@ level of coherency, times 2
	beq	5f
	mov	r10, #0			@ cache level, times 2
1:	add	r2, r10, r10, lsr #1	@ level * 3: its Ctype field
	mov	r1, r0, lsr r2
	and	r1, r1, #7
	cmp	r1, #2
	blo	4f			@ no data cache at this level
	mcr	p15, 2, r10, c0, c0, 0	@ CSSELR: this level's data cache
	isb
	mrc	p15, 1, r1, c0, c0, 0	@ CCSIDR
	and	r2, r1, #7
	add	r2, r2, #4		@ log2(line length in bytes)
	movw	r4, #0x3ff
	ands	r4, r4, r1, lsr #3	@ ways - 1
	clz	r5, r4			@ where the way number goes
	movw	r7, #0x7fff
	ands	r7, r7, r1, lsr #13	@ sets - 1
2:	mov	r9, r4
3:	orr	r11, r10, r9, lsl r5
	orr	r11, r11, r7, lsl r2
	mcr	p15, 0, r11, c7, c14, 2	@ DCCISW
	subs	r9, r9, #1
	bge	3b
	subs	r7, r7, #1
	bge	2b
4:	add	r10, r10, #2
	cmp	r3, r10
	bgt	1b
5:	dsb
	bx	lr

	.ltorg
	.balign	16
stub_end:
