/*
 * pmap.c (i386) - the pmap contract over two-level 32-bit paging.
 *
 * Each user address space has a page directory (one frame) whose kernel
 * entries are copies of the kernel's; page tables (one frame per 4 MiB) come
 * from the frame table like every other page, and a page table is the unit
 * fork shares (arch/generic/ptable.h). A shared table's directory entry has
 * R/W clear in every pmap using it (SDM vol. 3 4.6: both levels must allow a
 * write), so reads go through and the first write faults.
 *
 * There are no address-space tags without PCID, so loading CR3 drops every
 * non-global TLB entry: only the active space can have entries cached, and
 * only its changes need INVLPG.
 *
 * Without PAE there is no no-execute bit: every readable user page can be
 * executed. pmap_extract() says so by reporting VM_PROT_EXEC on it.
 */
#include <errno.h>
#include <string.h>

#include <arch/generic/ptable.h>
#include <mm/frame.h>
#include <mm/pmap.h>
#include "x86.h"

#define PD_USER_FIRST PD_INDEX(PMAP_USER_START)
#define PD_USER_END PD_INDEX(PMAP_USER_END)
#define PDE_PRIVATE (PTE_U | PTE_W | PTE_P) /* each PTE decides */
#define PDE_SHARED (PTE_U | PTE_P)          /* no write through any PTE below */

static struct pmap *active; /* whose page directory CR3 holds; NULL: the kernel's */

_Static_assert(PAGE_SIZE == 4096, "page.S zeroes and copies 4 KiB frames");

/* Drop va's stale TLB entry; only the space in CR3 can have one. */
static void pmap_tlb_flush_page(const struct pmap *pm, vaddr_t va)
{
	if (active == pm)
		tlb_flush_page(va);
}

/* Drop every TLB entry pm may have cached: reload CR3 if it is the active space. */
static void pmap_tlb_flush_space(const struct pmap *pm)
{
	if (active == pm)
		tlb_flush_user(pm->pd_pa);
}

void ptable_sync(pt_entry_t *e, unsigned n)
{
	(void)e;
	(void)n; /* x86 table walks see ordinary stores: nothing to clean */
}

int pmap_create(struct pmap *pm)
{
	paddr_t pa;
	int err = frame_alloc_zeroed(&pa);
	if (err)
		return err;
	pm->pd = pmap_kva(pa);
	pm->pd_pa = pa;
	memcpy(pm->pd, arch_kernel_pd, PD_USER_FIRST * sizeof(uint32_t));
	memset(pm->slots_used, 0, sizeof(pm->slots_used));
	return 0;
}

void pmap_destroy(struct pmap *pm)
{
	if (active == pm) {
		/* Never leave CR3 pointing at a directory about to be freed. */
		tlb_flush_user(pmap_kpa(arch_kernel_pd));
		active = NULL;
	}
	ptable_drop_all(pm);
	frame_unref(pm->pd_pa);
	pm->pd = NULL;
}

/* The directory entry for va. */
static uint32_t *pde_of(const struct pmap *pm, vaddr_t va)
{
	return &pm->pd[PD_INDEX(va)];
}

/* Point the user directory entry pde of pm at table t (t = 0: no table), keeping the slot record. */
static void pde_set(struct pmap *pm, uint32_t *pde, uint32_t value)
{
	ptable_slot_set(pm->slots_used, ptable_slot_of((vaddr_t)(pde - pm->pd) << 22), value & PTE_P);
	*pde = value;
}

static bool pde_shared(uint32_t pde)
{
	return (pde & PTE_P) && !(pde & PTE_W);
}

/* Page-table entry for pa with prot: read-only unless prot has WRITE, supervisor-only for none. */
static uint32_t pte_make(paddr_t pa, vm_prot_t prot)
{
	uint32_t pte = (pa & PTE_FRAME) | PTE_P;
	if (prot != VM_PROT_NONE)
		pte |= PTE_U; /* U/S clear: every user access faults, the frame stays (pt_protect) */
	if (prot & VM_PROT_WRITE)
		pte |= PTE_W;
	return pte;
}

/* Decode a present entry's permissions: no NX bit, so readable means executable. */
static vm_prot_t pte_prot(uint32_t pte)
{
	if (!(pte & PTE_U))
		return VM_PROT_NONE;
	vm_prot_t prot = VM_PROT_READ | VM_PROT_EXEC;
	if (pte & PTE_W)
		prot |= VM_PROT_WRITE;
	return prot;
}

int pmap_enter(struct pmap *pm, vaddr_t va, paddr_t pa, vm_prot_t prot)
{
	if (va < PMAP_USER_START || va >= PMAP_USER_END)
		mm_panic("pmap_enter: address outside user space");
	uint32_t *pde = pde_of(pm, va);
	if (!(*pde & PTE_P)) {
		paddr_t t;
		int err = ptable_alloc(&t);
		if (err)
			return err;
		pde_set(pm, pde, t | PDE_PRIVATE);
	} else if (pde_shared(*pde)) {
		mm_panic("pmap_enter: into a shared table (pmap_unshare first)");
	}
	uint32_t *pte = &ptable_entries(*pde & PTE_FRAME)[PT_INDEX(va)];
	bool was_valid = *pte & PTE_P;
	if (!was_valid)
		ptable_mark(*pde & PTE_FRAME, ptable_index(va)); /* a valid entry's chunk is marked */
	*pte = pte_make(pa, prot);
	if (was_valid)
		pmap_tlb_flush_page(pm, va);
	return 0;
}

void ptable_md_slot_get(const struct pmap *pm, vaddr_t va, struct ptable_slot *slot)
{
	uint32_t pde = *pde_of(pm, va);
	slot->present = pde & PTE_P;
	slot->shared = pde_shared(pde);
	slot->table = pde & PTE_FRAME;
}

void ptable_md_slot_set(struct pmap *pm, vaddr_t va, paddr_t t, bool shared)
{
	pde_set(pm, pde_of(pm, va), t | (shared ? PDE_SHARED : PDE_PRIVATE));
}

void ptable_md_slot_clear(struct pmap *pm, vaddr_t va)
{
	pde_set(pm, pde_of(pm, va), 0);
}

void ptable_md_flush_space(const struct pmap *pm)
{
	pmap_tlb_flush_space(pm);
}

bool pmap_extract(const struct pmap *pm, vaddr_t va, paddr_t *pa, vm_prot_t *prot)
{
	if (va < PMAP_USER_START || va >= PMAP_USER_END)
		return false;
	uint32_t pde = *pde_of(pm, va);
	if (!(pde & PTE_P))
		return false;
	uint32_t pte = ptable_entries(pde & PTE_FRAME)[PT_INDEX(va)];
	if (!(pte & PTE_P))
		return false;
	if (pa)
		*pa = pte & PTE_FRAME;
	if (prot) {
		*prot = pte_prot(pte);
		if (pde_shared(pde))
			*prot &= (vm_prot_t)~VM_PROT_WRITE;
	}
	return true;
}

bool pmap_lookup(const struct pmap *pm, vaddr_t va, struct pmap_entry *e)
{
	uint32_t pde = *pde_of(pm, va);
	e->shared = pde_shared(pde);
	if (!(pde & PTE_P))
		return false;
	uint32_t *pte = &ptable_entries(pde & PTE_FRAME)[PT_INDEX(va)];
	uint32_t v = *pte;
	if (!(v & PTE_P))
		return false;
	e->where = pte;
	e->pa = v & PTE_FRAME;
	e->prot = pte_prot(v);
	if (e->shared)
		e->prot &= (vm_prot_t)~VM_PROT_WRITE;
	return true;
}

void pmap_update(struct pmap *pm, vaddr_t va, const struct pmap_entry *e, vm_prot_t prot)
{
	*(uint32_t *)e->where = pte_make(e->pa, prot);
	pmap_tlb_flush_page(pm, va);
}

/*
 * Nothing to do: x86 keeps its instruction caches coherent with data
 * writes to the same physical memory through any linear address, and
 * the write reaches the code before it runs as long as a serializing
 * instruction comes between (Intel SDM vol. 3 8.1.3, "Handling self- and
 * cross-modifying code"); the IRET that enters the program is one (8.3).
 */
void pmap_sync_icache(paddr_t pa, size_t len)
{
	(void)pa;
	(void)len;
}

void pmap_activate(struct pmap *pm)
{
	if (active == pm)
		return; /* threads of one space: the TLB stays valid */
	tlb_flush_user(pm->pd_pa);
	active = pm;
}
