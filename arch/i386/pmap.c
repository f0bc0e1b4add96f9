/*
 * pmap.c (i386) - the pmap contract over two-level 32-bit paging.
 *
 * Each user address space has a page directory (one frame) whose kernel
 * entries are copies of the kernel's; page tables (one frame per 4 MiB) come
 * from the frame table like every other page. There are no address-space
 * tags without PCID, so loading CR3 drops every non-global TLB entry: only
 * the active space can have entries cached, and only its changes need
 * INVLPG.
 *
 * Without PAE there is no no-execute bit: every readable user page can be
 * executed. pmap_extract() says so by reporting VM_PROT_EXEC on it.
 */
#include <errno.h>
#include <string.h>

#include <mm/frame.h>
#include <mm/pmap.h>
#include "x86.h"

#define PD_USER_FIRST PD_INDEX(PMAP_USER_START)
#define PD_USER_END PD_INDEX(PMAP_USER_END)

static struct pmap *active; /* whose page directory CR3 holds; NULL: the kernel's */

_Static_assert(PAGE_SIZE == 4096, "page.S zeroes and copies 4 KiB frames");

int pmap_create(struct pmap *pm)
{
	paddr_t pa;
	int err = frame_alloc_zeroed(&pa);
	if (err)
		return err;
	pm->pd = pmap_kva(pa);
	pm->pd_pa = pa;
	memcpy(pm->pd, arch_kernel_pd, PD_USER_FIRST * sizeof(uint32_t));
	return 0;
}

void pmap_destroy(struct pmap *pm)
{
	if (active == pm) {
		/* Never leave CR3 pointing at a directory about to be freed. */
		tlb_flush_user((uint32_t)arch_kernel_pd);
		active = NULL;
	}
	for (uint32_t i = PD_USER_FIRST; i < PD_USER_END; i++)
		if (pm->pd[i] & PTE_P)
			frame_unref(pm->pd[i] & PTE_FRAME);
	frame_unref(pm->pd_pa);
	pm->pd = NULL;
}

/* The page-table entry for va, or NULL when its page table does not exist. */
static uint32_t *pte_find(const struct pmap *pm, vaddr_t va)
{
	uint32_t pde = pm->pd[PD_INDEX(va)];
	if (!(pde & PTE_P))
		return NULL;
	uint32_t *pt = pmap_kva(pde & PTE_FRAME);
	return &pt[PT_INDEX(va)];
}

/* Allocate the page table for the 4 MiB holding va. */
static int pt_add(struct pmap *pm, vaddr_t va)
{
	paddr_t pa;
	int err = frame_alloc_zeroed(&pa);
	if (err)
		return err;
	/* The PDE allows everything; each PTE decides (SDM 4.6: both levels must allow). */
	pm->pd[PD_INDEX(va)] = pa | PTE_U | PTE_W | PTE_P;
	return 0;
}

/* Page-table entry for pa with prot: read-only unless prot has WRITE. */
static uint32_t pte_make(paddr_t pa, vm_prot_t prot)
{
	uint32_t pte = (pa & PTE_FRAME) | PTE_U | PTE_P;
	if (prot & VM_PROT_WRITE)
		pte |= PTE_W;
	return pte;
}

/* Decode a present entry's permissions: no NX bit, so readable means executable. */
static vm_prot_t pte_prot(uint32_t pte)
{
	vm_prot_t prot = VM_PROT_READ | VM_PROT_EXEC;
	if (pte & PTE_W)
		prot |= VM_PROT_WRITE;
	return prot;
}

/* Drop va's stale TLB entry; only the space in CR3 can have one. */
static void pmap_tlb_flush_page(const struct pmap *pm, vaddr_t va)
{
	if (active == pm)
		tlb_flush_page(va);
}

int pmap_enter(struct pmap *pm, vaddr_t va, paddr_t pa, vm_prot_t prot)
{
	if (va < PMAP_USER_START || va >= PMAP_USER_END)
		mm_panic("pmap_enter: address outside user space");
	uint32_t *pte = pte_find(pm, va);
	if (!pte) {
		int err = pt_add(pm, va);
		if (err)
			return err;
		pte = pte_find(pm, va);
	}
	bool was_valid = *pte & PTE_P;
	*pte = pte_make(pa, prot);
	if (was_valid)
		pmap_tlb_flush_page(pm, va);
	return 0;
}

void pmap_remove(struct pmap *pm, vaddr_t sva, vaddr_t eva)
{
	for (vaddr_t va = sva; va < eva && va < PMAP_USER_END; va += PAGE_SIZE) {
		uint32_t *pte = pte_find(pm, va);
		if (pte && (*pte & PTE_P)) {
			*pte = 0;
			pmap_tlb_flush_page(pm, va);
		}
	}
}

void pmap_protect(struct pmap *pm, vaddr_t sva, vaddr_t eva, vm_prot_t prot)
{
	if (prot & VM_PROT_WRITE)
		return; /* write is the only permission a PTE here can lose */
	for (vaddr_t va = sva; va < eva && va < PMAP_USER_END; va += PAGE_SIZE) {
		uint32_t *pte = pte_find(pm, va);
		if (pte && (*pte & PTE_P) && (*pte & PTE_W)) {
			*pte &= ~PTE_W;
			pmap_tlb_flush_page(pm, va);
		}
	}
}

bool pmap_extract(const struct pmap *pm, vaddr_t va, paddr_t *pa, vm_prot_t *prot)
{
	if (va < PMAP_USER_START || va >= PMAP_USER_END)
		return false;
	const uint32_t *pte = pte_find(pm, va);
	if (!pte || !(*pte & PTE_P))
		return false;
	if (pa)
		*pa = *pte & PTE_FRAME;
	if (prot)
		*prot = pte_prot(*pte);
	return true;
}

void pmap_activate(struct pmap *pm)
{
	if (active == pm)
		return; /* threads of one space: the TLB stays valid */
	tlb_flush_user(pm->pd_pa);
	active = pm;
}
