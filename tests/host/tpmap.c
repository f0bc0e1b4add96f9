/*
 * tpmap.c - the platform under arch/generic/ptable.c in the host test: RAM
 * for the frame table, the mm locks, and the arch hooks of a minimal pmap
 * whose table slots are plain words (see pmap_md.h). Page tables are frames
 * of the frame table, exactly as on target, so every count can be checked.
 */
#include "tpmap.h"

#include "hostram.h"

#include <string.h>

#include <mm/frame.h>

void tp_ram_init(uint32_t nframes)
{
	host_ram_init(nframes);
}

void tp_ram_fini(void)
{
	host_ram_fini();
}

void ptable_sync(pt_entry_t *e, unsigned n)
{
	(void)e;
	(void)n;
}

void ptable_md_slot_get(const struct pmap *pm, vaddr_t va, struct ptable_slot *slot)
{
	uint32_t w = pm->slot[ptable_slot_of(va)];
	((struct pmap *)pm)->slot_reads++;
	slot->present = w & TP_SLOT_PRESENT;
	slot->shared = w & TP_SLOT_SHARED;
	slot->table = w & ~0xFFFu;
}

void ptable_md_slot_set(struct pmap *pm, vaddr_t va, paddr_t t, bool shared)
{
	unsigned s = ptable_slot_of(va);
	pm->slot[s] = t | TP_SLOT_PRESENT | (shared ? TP_SLOT_SHARED : 0);
	ptable_slot_set(pm->slots_used, s, true);
}

void ptable_md_slot_clear(struct pmap *pm, vaddr_t va)
{
	unsigned s = ptable_slot_of(va);
	pm->slot[s] = 0;
	ptable_slot_set(pm->slots_used, s, false);
}

void ptable_md_flush_space(const struct pmap *pm)
{
	((struct pmap *)pm)->flushes++;
}

void tp_create(struct pmap *pm)
{
	memset(pm, 0, sizeof(*pm));
}

int tp_enter(struct pmap *pm, vaddr_t va, paddr_t pa, bool writable)
{
	struct ptable_slot slot;
	ptable_md_slot_get(pm, va, &slot);
	if (slot.present && slot.shared)
		mm_panic("tpmap: enter into a shared table");
	if (!slot.present) {
		int err = ptable_alloc(&slot.table);
		if (err)
			return err;
		ptable_md_slot_set(pm, va, slot.table, false);
	}
	ptable_mark(slot.table, ptable_index(va));
	ptable_entries(slot.table)[ptable_index(va)] =
		pa | TP_PTE_VALID | (writable ? TP_PTE_WRITE : 0);
	return 0;
}

pt_entry_t tp_entry(const struct pmap *pm, vaddr_t va)
{
	uint32_t w = pm->slot[ptable_slot_of(va)];
	if (!(w & TP_SLOT_PRESENT))
		return 0;
	return ptable_entries(w & ~0xFFFu)[ptable_index(va)];
}

void tp_destroy(struct pmap *pm)
{
	ptable_drop_all(pm);
	memset(pm, 0, sizeof(*pm));
}
