/*
 * mmu.c (armv7) - the kernel's translation table, MMU and cache bring-up,
 * and TLB maintenance.
 *
 * The kernel sees RAM at ARCH_KERNEL_VA_BASE (a direct map through 1 MiB
 * sections in the TTBR1 half, above the 1 GiB user space; pmap_kva), and
 * each board device window at the virtual address the board chose.
 */
#include <stdbool.h>

#include <kernel/board.h>
#include <mm/pmap.h>
#include "cp15.h"
#include "mmu.h"

_Static_assert(ARCH_BOOT_SECTION_ATTRS == (L1_SEC_NORMAL | L1_SEC_AP(AP_KERNEL) | L1_TYPE_SECTION),
	       "boot.S maps the image with the kernel's section attributes");
_Static_assert(ARCH_BOOT_DACR == DACR_VALUE, "boot.S sets the kernel's DACR");
_Static_assert(SCTLR_M_BIT == SCTLR_M && SCTLR_A_BIT == SCTLR_A && SCTLR_C_BIT == SCTLR_C &&
		       SCTLR_I_BIT == SCTLR_I && SCTLR_V_BIT == SCTLR_V && SCTLR_TRE_BIT == SCTLR_TRE &&
		       SCTLR_AFE_BIT == SCTLR_AFE,
	       "boot.S's SCTLR bits");
_Static_assert(PMAP_DIRECT_MAP_OFFSET % (1u << 20) == 0, "the direct map is made of 1 MiB sections");

extern char _start[], __kernel_end[];

/*
 * TTBR1's table: 4096 sections covering 4 GiB, 16 KiB aligned (B3.5.4).
 * boot.S first maps the image here at two addresses (arch_mmu_enable).
 */
uint32_t arch_kernel_l1[4096] __attribute__((aligned(16384)));

/* TTBR0's table while no user task is active: everything faults. */
uint32_t arch_null_l1[1024] __attribute__((aligned(4096)));

/*
 * True when table walks see the data cache, so descriptor writes need no
 * clean (ID_MMFR3 bits [23:20], B4.1.91, "coherent walk"): read once at
 * MMU enable, since every page-table write asks.
 */
static bool walk_coherent;

/* Map [pa, pa + size) at va with 1 MiB sections carrying attrs. */
static void map_sections(uintptr_t va, paddr_t pa, size_t size, uint32_t attrs)
{
	for (size_t off = 0; off < size; off += 1u << 20)
		arch_kernel_l1[(va + off) >> 20] = ((pa + off) & 0xFFF00000u) | attrs | L1_TYPE_SECTION;
}

/* Invalidate the L1 D-cache by set/way: its contents are unknown at reset. */
static void dcache_invalidate_all(void)
{
	cp15_csselr_write(0); /* level 1 data cache */
	isb();
	uint32_t ccsidr = cp15_ccsidr_read();
	uint32_t line_shift = (ccsidr & 7u) + 4u;
	uint32_t ways = ((ccsidr >> 3) & 0x3FFu) + 1u;
	uint32_t sets = ((ccsidr >> 13) & 0x7FFFu) + 1u;
	/* The way number sits in the top bits (B4.2.1); a direct-mapped cache has none. */
	uint32_t way_shift = ways > 1 ? (uint32_t)__builtin_clz(ways - 1u) : 0;
	for (uint32_t w = 0; w < ways; w++)
		for (uint32_t s = 0; s < sets; s++)
			cp15_dcisw_write((w << way_shift) | (s << line_shift));
	dsb();
}

/*
 * Drop boot.S's second map of the image, at its physical address, where
 * it is still there: the direct map (RAM from 0x60000000 past 512 MiB on
 * vexpress-a9, or an offset of 0) may have put its own sections on it.
 */
static void boot_alias_unmap(void)
{
	for (paddr_t pa = pmap_kpa(_start) & ~0xFFFFFu; pa < pmap_kpa(__kernel_end); pa += 1u << 20) {
		uint32_t *e = &arch_kernel_l1[pa >> 20];
		if ((*e & 0xFFF00000u) == pa && pa + PMAP_DIRECT_MAP_OFFSET != pa)
			*e = 0;
	}
}

/*
 * Called from boot.S at the kernel's linked address, with the MMU on
 * through boot.S's map of the image (TTBCR.N = 0) and the caches off:
 * map all of RAM and the board's devices, split the address space
 * (TTBCR.N = 2, user tables in TTBR0), turn the caches on.
 */
void arch_mmu_enable(void)
{
	paddr_t ram_base;
	size_t ram_size;
	board_ram_get(&ram_base, &ram_size);
	map_sections((uintptr_t)pmap_kva(ram_base), ram_base, ram_size,
		     L1_SEC_NORMAL | L1_SEC_AP(AP_KERNEL));
	for (unsigned i = 0; i < board_devmap_count; i++)
		map_sections(board_devmap[i].va, board_devmap[i].pa, board_devmap[i].size,
			     L1_SEC_DEVICE | L1_SEC_AP(AP_KERNEL));

	/* The caches have been off: nothing is dirty, and what they hold is unknown. */
	dcache_invalidate_all();
	cp15_iciallu_write(0);
	cp15_contextidr_write(0);
	/*
	 * This order keeps every step translating the code running here
	 * (above 1 GiB) through a whole table: TTBR1 first, then N = 2 moves
	 * those addresses to it (the same table boot.S built), and only then
	 * may TTBR0 take the user half's 4 KiB table, which with N = 0 would be
	 * read as the first quarter of a 16 KiB one.
	 */
	cp15_ttbr1_write(pmap_kpa(arch_kernel_l1) | TTBR_WALK_ATTRS);
	isb();
	cp15_ttbcr_write(2);    /* N = 2: TTBR0 for VA < 1 GiB, TTBR1 above */
	isb();
	cp15_ttbr0_write(pmap_kpa(arch_null_l1) | TTBR_WALK_ATTRS);
	isb();
	boot_alias_unmap();
	dsb();
	cp15_tlbiall_write(0);
	cp15_bpiall_write(0);
	dsb();
	isb();
	uint32_t sctlr = cp15_sctlr_read();
	sctlr |= SCTLR_C | SCTLR_I | SCTLR_Z;
	cp15_sctlr_write(sctlr);
	isb();
	walk_coherent = ((cp15_id_mmfr3_read() >> 20) & 0xFu) != 0;
}

void tlb_flush_page(uintptr_t va, uint8_t asid)
{
	/* No DSB first: the caller's pte_sync() made the descriptor write land (B3.10.1). */
	cp15_tlbimva_write((va & ~0xFFFu) | asid);
	cp15_bpiall_write(0);
	dsb();
	isb();
}

void tlb_flush_asid(uint8_t asid)
{
	dsb();
	cp15_tlbiasid_write(asid);
	cp15_bpiall_write(0);
	dsb();
	isb();
}

void tlb_flush_all(void)
{
	dsb();
	cp15_tlbiall_write(0);
	cp15_bpiall_write(0);
	dsb();
	isb();
}

void pte_sync(volatile uint32_t *pte)
{
	if (!walk_coherent)
		cp15_dccmvac_write((uint32_t)(uintptr_t)pte);
	dsb(); /* the write (and its clean) complete before a walk may need them (B3.10.1) */
}

void pte_sync_range(volatile uint32_t *pte, size_t n)
{
	if (walk_coherent)
		return;
	/* One clean per line of the smallest D-cache line size (CTR.DminLine, B4.1.42). */
	uintptr_t line = 4u << ((cp15_ctr_read() >> 16) & 0xFu);
	uintptr_t end = (uintptr_t)(pte + n);
	for (uintptr_t a = (uintptr_t)pte & ~(line - 1); a < end; a += line)
		cp15_dccmvac_write((uint32_t)a);
	dsb();
}
