/*
 * mmu.c (i386) - the kernel's page directory, paging bring-up and TLB
 * maintenance.
 *
 * The kernel sees RAM at its physical address: 4 MiB global pages (PSE),
 * except the first 4 MiB, which go through a page table so that page 0
 * stays unmapped and a kernel null-pointer access faults. Every user page
 * directory copies these entries (pmap_create), so the kernel half never
 * changes on a task switch and, being global, survives CR3 loads.
 */
#include <stdbool.h>

#include <kernel/board.h>
#include <mm/pmap.h>
#include "x86.h"

uint32_t arch_kernel_pd[1024] __attribute__((aligned(4096)));
static uint32_t kernel_pt0[1024] __attribute__((aligned(4096)));

_Static_assert(PMAP_USER_START % LARGE_PAGE_SIZE == 0, "user space starts on a PDE");

/* Map [pa, pa + size) at the same address, kernel-only, with extra PDE bits. */
static void map_large(paddr_t pa, size_t size, uint32_t bits)
{
	for (paddr_t a = pa & ~(paddr_t)(LARGE_PAGE_SIZE - 1); a < pa + size; a += LARGE_PAGE_SIZE) {
		if (a == 0)
			continue; /* the first 4 MiB go through kernel_pt0 */
		arch_kernel_pd[PD_INDEX(a)] = a | PTE_PS | PTE_G | PTE_W | PTE_P | bits;
	}
}

/* Called from boot.S with paging off: build the kernel's tables and turn paging on. */
void arch_mmu_enable(void)
{
	paddr_t ram_base;
	size_t ram_size;
	board_ram_get(&ram_base, &ram_size);
	for (uint32_t i = 1; i < 1024; i++) /* page 0 stays absent */
		kernel_pt0[i] = (i << 12) | PTE_G | PTE_W | PTE_P;
	arch_kernel_pd[0] = (uint32_t)kernel_pt0 | PTE_W | PTE_P;
	map_large(ram_base, ram_size, 0);
	for (unsigned i = 0; i < board_devmap_count; i++) /* PCD|PWT: uncached (SDM 11.12.3) */
		map_large(board_devmap[i].pa, board_devmap[i].size, (1u << 4) | (1u << 3));
	cr4_write(cr4_read() | CR4_PSE | CR4_PGE);
	cr3_write((uint32_t)arch_kernel_pd);
	cr0_write(cr0_read() | CR0_PG | CR0_WP);
}

void tlb_flush_page(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" ::"r"(va) : "memory");
}

void tlb_flush_user(paddr_t pd_pa)
{
	cr3_write(pd_pa);
}
