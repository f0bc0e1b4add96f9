/*
 * pmap.c (armv7) - the pmap contract over ARMv7 short-descriptor tables.
 *
 * Each user address space has a 4 KiB first-level table (1024 entries for
 * the 1 GiB TTBR0 range). Second-level tables are 1 KiB; one frame holds
 * the four that serve four consecutive first-level entries (4 MiB, a
 * "group"), so every page-table page is an ordinary frame of the frame
 * table, and the group is the unit that fork shares (arch/generic/ptable.h).
 *
 * A shared group's four first-level entries, in every pmap using it, are in
 * DOMAIN_SHARED_TABLE, which DACR makes no-access (mmu.h): short descriptors
 * have no permission bits at the first level, so the domain is what stops
 * both reads and writes until the space faulting there gets its own table.
 *
 * User pages are not global (nG) and tagged with the space's ASID, so a
 * task switch needs no TLB flush. ASIDs come from a generation counter:
 * when the 255 usable ones run out, the whole TLB is flushed once and
 * every space takes a fresh ASID when it next runs.
 */
#include <errno.h>
#include <string.h>

#include <arch/generic/ptable.h>
#include <arch_md.h>
#include <mm/frame.h>
#include <mm/pmap.h>
#include "cp15.h"
#include "mmu.h"

#define L1_ENTRIES (PMAP_USER_END >> 20)
#define L1_PER_GROUP 4u
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
_Static_assert(L1_PER_GROUP * L2_ENTRIES == PTABLE_ENTRIES, "a group is one table frame");
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
	if (__builtin_expect(pm->asid_gen == asids.gen, 1)) /* it ran since the last roll-over */
		tlb_flush_page(va, pm->asid);
}

/* Flush every TLB entry pm may have cached. */
static void pmap_tlb_flush_space(const struct pmap *pm)
{
	if (pm->asid_gen == asids.gen)
		tlb_flush_asid(pm->asid);
}

void ptable_sync(pt_entry_t *e, unsigned n)
{
	pte_sync_range(e, n);
}

/* The first of the four first-level entries of the group holding va. */
static uint32_t *group_l1(const struct pmap *pm, vaddr_t va)
{
	return &pm->l1[(va >> 20) & ~(L1_PER_GROUP - 1)];
}

static bool group_present(const uint32_t *l1e)
{
	return (l1e[0] & L1_TYPE_MASK) == L1_TYPE_TABLE;
}

static bool group_shared(const uint32_t *l1e)
{
	return (l1e[0] & L1_DOMAIN_MASK) == L1_DOMAIN(DOMAIN_SHARED_TABLE);
}

/* The table frame of a present group: its first quarter starts the frame. */
static paddr_t group_table(const uint32_t *l1e)
{
	return l1e[0] & ~0xFFFu;
}

/* The slot (ptable_slot_of) of the group whose first entry is l1e. */
static unsigned group_slot(const struct pmap *pm, const uint32_t *l1e)
{
	return ptable_slot_of((vaddr_t)(l1e - pm->l1) << 20);
}

/* Point the group's four entries at table t, in the shared or the client domain. */
static void group_set(struct pmap *pm, uint32_t *l1e, paddr_t t, bool shared)
{
	ptable_slot_set(pm->slots_used, group_slot(pm, l1e), true);
	uint32_t domain = L1_DOMAIN(shared ? DOMAIN_SHARED_TABLE : DOMAIN_CLIENT);
	/* Coarse table descriptors (B3.5.1): no NS, no PXN. */
	for (uint32_t k = 0; k < L1_PER_GROUP; k++)
		l1e[k] = (t + k * L2_ENTRIES * 4u) | domain | L1_TYPE_TABLE;
	pte_sync_range(l1e, L1_PER_GROUP);
}

static void group_clear(struct pmap *pm, uint32_t *l1e)
{
	ptable_slot_set(pm->slots_used, group_slot(pm, l1e), false);
	for (uint32_t k = 0; k < L1_PER_GROUP; k++)
		l1e[k] = 0;
	pte_sync_range(l1e, L1_PER_GROUP);
}

int pmap_create(struct pmap *pm)
{
	paddr_t pa;
	int err = frame_alloc_zeroed(&pa);
	if (err)
		return err;
	pm->l1 = pmap_kva(pa);
	pm->l1_pa = pa;
	pte_sync_range(pm->l1, L1_ENTRIES); /* the walker must see zeros, not old RAM */
	pm->asid = 0;
	pm->asid_gen = 0; /* no ASID until it first runs */
	memset(pm->slots_used, 0, sizeof(pm->slots_used));
	return 0;
}

void pmap_destroy(struct pmap *pm)
{
	if (asids.active == pm) {
		/* Never leave TTBR0 pointing at a table about to be freed. */
		cp15_contextidr_write(0);
		isb();
		cp15_ttbr0_write(pmap_kpa(arch_null_l1) | TTBR_WALK_ATTRS);
		isb();
		asids.active = NULL;
	}
	pmap_tlb_flush_space(pm);
	ptable_drop_all(pm);
	frame_unref(pm->l1_pa);
	pm->l1 = NULL;
}

/* Small-page descriptor for pa with prot (see mmu.h for the AP encoding). */
static uint32_t pte_make(paddr_t pa, vm_prot_t prot)
{
	if (prot == VM_PROT_NONE) /* AP[2:0] 101: no access from PL0, the frame kept (B3.7.1) */
		return (pa & ~0xFFFu) | L2_SMALL | L2_NORMAL | L2_NG | L2_XN | L2_APX | L2_AP(AP_KERNEL);
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
	if ((pte & L2_AP(3u)) == L2_AP(AP_KERNEL))
		return VM_PROT_NONE; /* pte_make's no-access entry */
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
	uint32_t l1e = pm->l1[va >> 20];
	if ((l1e & L1_TYPE_MASK) != L1_TYPE_TABLE) {
		paddr_t t;
		int err = ptable_alloc(&t);
		if (err)
			return err;
		group_set(pm, group_l1(pm, va), t, false);
		l1e = pm->l1[va >> 20];
	} else if (l1e & L1_DOMAIN_MASK) {
		mm_panic("pmap_enter: into a shared table (pmap_unshare first)");
	}
	uint32_t *pte = (uint32_t *)pmap_kva(l1e & ~0x3FFu) + ((va >> 12) & (L2_ENTRIES - 1));
	bool was_valid = *pte != 0;
	if (!was_valid)
		ptable_mark(l1e & ~0xFFFu, ptable_index(va)); /* a valid entry's chunk is marked */
	*pte = pte_make(pa, prot);
	pte_sync(pte);
	if (was_valid)
		pmap_tlb_flush_page(pm, va);
	return 0;
}

void ptable_md_slot_get(const struct pmap *pm, vaddr_t va, struct ptable_slot *slot)
{
	const uint32_t *g = group_l1(pm, va);
	slot->present = group_present(g);
	slot->shared = slot->present && group_shared(g);
	slot->table = group_table(g);
}

void ptable_md_slot_set(struct pmap *pm, vaddr_t va, paddr_t t, bool shared)
{
	group_set(pm, group_l1(pm, va), t, shared);
}

void ptable_md_slot_clear(struct pmap *pm, vaddr_t va)
{
	group_clear(pm, group_l1(pm, va));
}

void ptable_md_flush_space(const struct pmap *pm)
{
	pmap_tlb_flush_space(pm);
}

bool pmap_extract(const struct pmap *pm, vaddr_t va, paddr_t *pa, vm_prot_t *prot)
{
	if (va >= PMAP_USER_END)
		return false;
	uint32_t l1e = pm->l1[va >> 20];
	if ((l1e & L1_TYPE_MASK) != L1_TYPE_TABLE)
		return false;
	uint32_t pte = ((const uint32_t *)pmap_kva(l1e & ~0x3FFu))[(va >> 12) & (L2_ENTRIES - 1)];
	if (!pte)
		return false;
	if (pa)
		*pa = pte & ~0xFFFu;
	if (prot) {
		*prot = pte_prot(pte);
		if (l1e & L1_DOMAIN_MASK) /* the group's four entries share one domain */
			*prot &= (vm_prot_t)~VM_PROT_WRITE;
	}
	return true;
}

bool pmap_lookup(const struct pmap *pm, vaddr_t va, struct pmap_entry *e)
{
	uint32_t l1e = pm->l1[(va >> 20) & (L1_ENTRIES - 1)];
	e->shared = (l1e & L1_DOMAIN_MASK) != 0; /* only a present table has a domain set */
	if ((l1e & L1_TYPE_MASK) != L1_TYPE_TABLE)
		return false;
	uint32_t *pte = (uint32_t *)pmap_kva(l1e & ~0x3FFu) + ((va >> 12) & (L2_ENTRIES - 1));
	uint32_t v = *pte;
	if (!v)
		return false;
	e->where = pte;
	e->pa = v & ~0xFFFu;
	e->prot = pte_prot(v);
	if (e->shared)
		e->prot &= (vm_prot_t)~VM_PROT_WRITE;
	return true;
}

void pmap_update(struct pmap *pm, vaddr_t va, const struct pmap_entry *e, vm_prot_t prot)
{
	uint32_t *pte = e->where;
	*pte = pte_make(e->pa, prot);
	pte_sync(pte);
	pmap_tlb_flush_page(pm, va);
}

/*
 * Instruction fetches do not see what the kernel wrote through its data
 * cache (ARM DDI 0406C B2.2.7, A3.5.4): clean the written lines to the
 * point of unification (DCCMVAU) by the kernel's address, which reaches the
 * user's alias too since the Cortex-A9's D-cache is physically indexed
 * (Cortex-A9 TRM, ARM DDI 0388, 7.1.1); DSB so the cleans complete; then
 * invalidate the I-cache and the branch predictor, DSB, ISB. The I-cache
 * goes whole (ICIALLU): it is virtually indexed (same section), so ICIMVAU
 * would need the user's address in the space being built, which is not
 * the active one yet. One CPU: SMP will want the Inner Shareable forms
 * (ICIALLUIS, BPIALLIS).
 */
void pmap_sync_icache(paddr_t pa, size_t len)
{
	/* The smallest D-cache line (CTR.DminLine, B4.1.42): a step no line is skipped by. */
	uintptr_t line = 4u << ((cp15_ctr_read() >> 16) & 0xFu);
	uintptr_t start = (uintptr_t)pmap_kva(pa), end = start + len;
	for (uintptr_t a = start & ~(line - 1); a < end; a += line)
		cp15_dccmvau_write((uint32_t)a);
	dsb();
	cp15_iciallu_write(0);
	cp15_bpiall_write(0);
	dsb();
	isb();
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
