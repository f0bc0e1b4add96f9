/*
 * pmap.c (armv7) - the pmap contract over ARMv7 short-descriptor tables.
 *
 * Each user address space has a 4 KiB first-level table (1024 entries for
 * the 1 GiB TTBR0 range). Second-level tables are 1 KiB; one frame holds
 * the four that serve four consecutive first-level entries (4 MiB), so
 * every page-table page is an ordinary frame of the frame table.
 *
 * User pages are not global (nG) and tagged with the space's ASID, so a
 * task switch needs no TLB flush. ASIDs come from a generation counter:
 * when the 255 usable ones run out, the whole TLB is flushed once and
 * every space takes a fresh ASID when it next runs.
 */
#include <errno.h>

#include <mm/frame.h>
#include <mm/pmap.h>
#include <arch_md.h>
#include "cp15.h"
#include "mmu.h"

#define L1_ENTRIES (PMAP_USER_END >> 20)
#define L2_ENTRIES 256u
#define ASID_FIRST 1u
#define ASID_LAST 255u

extern uint32_t arch_null_l1[];

static struct {
	uint32_t gen;    /* current ASID generation; starts at 1 */
	uint32_t next;   /* next ASID to hand out in this generation */
	struct pmap *active;
} asids = { 1, ASID_FIRST, NULL };

_Static_assert(L1_ENTRIES * 4 == PAGE_SIZE, "one frame holds a user first-level table");
_Static_assert(PAGE_SIZE == 4096, "page.S zeroes and copies 4 KiB frames");

/* Give pm an ASID of the current generation, starting a new one if needed. */
static void asid_assign(struct pmap *pm)
{
	if (asids.next > ASID_LAST) {
		asids.gen++;
		asids.next = ASID_FIRST;
		/* Park on reserved ASID 0 first, so no walk refills an old ASID after the flush. */
		cp15_contextidr_write(0);
		isb();
		tlb_flush_all(); /* entries of every old-generation ASID go at once */
		asids.active = NULL;
	}
	pm->asid = (uint8_t)asids.next++;
	pm->asid_gen = asids.gen;
}

/* Flush pm's TLB entry for va when pm may have entries cached. */
static void pmap_tlb_flush_page(const struct pmap *pm, vaddr_t va)
{
	if (pm->asid_gen == asids.gen)
		tlb_flush_page(va, pm->asid);
}

int pmap_create(struct pmap *pm)
{
	paddr_t pa;
	int err = frame_alloc_zeroed(&pa);
	if (err)
		return err;
	pm->l1 = pmap_kva(pa);
	pm->l1_pa = pa;
	pm->asid = 0;
	pm->asid_gen = 0; /* no ASID until it first runs */
	return 0;
}

void pmap_destroy(struct pmap *pm)
{
	if (asids.active == pm) {
		/* Never leave TTBR0 pointing at a table about to be freed. */
		cp15_contextidr_write(0);
		isb();
		cp15_ttbr0_write((uint32_t)arch_null_l1 | TTBR_WALK_ATTRS);
		isb();
		asids.active = NULL;
	}
	if (pm->asid_gen == asids.gen)
		tlb_flush_asid(pm->asid);
	for (uint32_t i = 0; i < L1_ENTRIES; i += 4)
		if ((pm->l1[i] & L1_TYPE_MASK) == L1_TYPE_TABLE)
			frame_unref(pm->l1[i] & ~0xFFFu);
	frame_unref(pm->l1_pa);
	pm->l1 = NULL;
}

/* The second-level entry for va, or NULL when its table does not exist. */
static uint32_t *pte_find(const struct pmap *pm, vaddr_t va)
{
	uint32_t l1e = pm->l1[va >> 20];
	if ((l1e & L1_TYPE_MASK) != L1_TYPE_TABLE)
		return NULL;
	uint32_t *l2 = pmap_kva(l1e & ~0x3FFu);
	return &l2[(va >> 12) & (L2_ENTRIES - 1)];
}

/* Allocate the frame of second-level tables for the 4 MiB holding va. */
static int l2_frame_add(struct pmap *pm, vaddr_t va)
{
	paddr_t pa;
	int err = frame_alloc_zeroed(&pa);
	if (err)
		return err;
	uint32_t first = (va >> 20) & ~3u;
	for (uint32_t k = 0; k < 4; k++) {
		/* Domain 0, coarse table (B3.5.1); no NS, no PXN. */
		pm->l1[first + k] = (pa + k * 1024u) | L1_TYPE_TABLE;
		pte_sync(&pm->l1[first + k]);
	}
	return 0;
}

/* Small-page descriptor for pa with prot (see mmu.h for the AP encoding). */
static uint32_t pte_make(paddr_t pa, vm_prot_t prot)
{
	uint32_t pte = (pa & ~0xFFFu) | L2_SMALL | L2_NORMAL | L2_NG | L2_AP(AP_USER);
	if (!(prot & VM_PROT_WRITE))
		pte |= L2_APX; /* read-only for PL0 and PL1 alike: kernel writes fault too */
	if (!(prot & VM_PROT_EXEC))
		pte |= L2_XN;
	return pte;
}

/* Decode a valid small-page descriptor's permissions. */
static vm_prot_t pte_prot(uint32_t pte)
{
	vm_prot_t prot = VM_PROT_READ;
	if (!(pte & L2_APX))
		prot |= VM_PROT_WRITE;
	if (!(pte & L2_XN))
		prot |= VM_PROT_EXEC;
	return prot;
}

int pmap_enter(struct pmap *pm, vaddr_t va, paddr_t pa, vm_prot_t prot)
{
	if (va < PMAP_USER_START || va >= PMAP_USER_END)
		mm_panic("pmap_enter: address outside user space");
	uint32_t *pte = pte_find(pm, va);
	if (!pte) {
		int err = l2_frame_add(pm, va);
		if (err)
			return err;
		pte = pte_find(pm, va);
	}
	bool was_valid = *pte != 0;
	*pte = pte_make(pa, prot);
	pte_sync(pte);
	if (was_valid)
		pmap_tlb_flush_page(pm, va);
	return 0;
}

void pmap_remove(struct pmap *pm, vaddr_t sva, vaddr_t eva)
{
	for (vaddr_t va = sva; va < eva && va < PMAP_USER_END; va += PAGE_SIZE) {
		uint32_t *pte = pte_find(pm, va);
		if (pte && *pte) {
			*pte = 0;
			pte_sync(pte);
			pmap_tlb_flush_page(pm, va);
		}
	}
}

void pmap_protect(struct pmap *pm, vaddr_t sva, vaddr_t eva, vm_prot_t prot)
{
	for (vaddr_t va = sva; va < eva && va < PMAP_USER_END; va += PAGE_SIZE) {
		uint32_t *pte = pte_find(pm, va);
		if (!pte || !*pte)
			continue;
		vm_prot_t old = pte_prot(*pte);
		if (old & ~prot) {
			*pte = pte_make(*pte, old & prot);
			pte_sync(pte);
			pmap_tlb_flush_page(pm, va);
		}
	}
}

bool pmap_extract(const struct pmap *pm, vaddr_t va, paddr_t *pa, vm_prot_t *prot)
{
	if (va >= PMAP_USER_END)
		return false;
	const uint32_t *pte = pte_find(pm, va);
	if (!pte || !*pte)
		return false;
	if (pa)
		*pa = *pte & ~0xFFFu;
	if (prot)
		*prot = pte_prot(*pte);
	return true;
}

void pmap_activate(struct pmap *pm)
{
	bool fresh = pm->asid_gen != asids.gen;
	if (fresh)
		asid_assign(pm);
	if (asids.active == pm && !fresh)
		return;
	/* Switch through reserved ASID 0 so no walk pairs the new table with the old ASID (B3.10.4). */
	cp15_contextidr_write(0);
	isb();
	cp15_ttbr0_write(pm->l1_pa | TTBR_WALK_ATTRS);
	isb();
	cp15_contextidr_write(pm->asid);
	isb();
	asids.active = pm;
}
