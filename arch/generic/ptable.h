/*
 * ptable.h - second-level page tables as every port has them: one frame of
 * PTABLE_ENTRIES entries mapping PMAP_TABLE_SPAN bytes. The arch describes
 * its entry format in <ptable_md.h>; the walks that look the same on every
 * port live here once, in arch/generic/ptable.c.
 *
 * The range operations of the pmap contract that look the same on every port
 * (pmap_remove, pmap_share, pmap_table_shared, pmap_unshare) are here too,
 * over the arch's table slots: the ptable_md_* hooks below.
 *
 * A table frame's count is the number of pmaps using it (mm/pmap.h); each
 * valid entry holds one reference on the frame it maps. The table frame's
 * aux word (frame_aux_get) records which of its 16 chunks of entries have
 * ever held a valid one, so walks skip the chunks that never did: the cost
 * of a walk follows what was touched, not the span.
 */
#ifndef CALF_ARCH_GENERIC_PTABLE_H
#define CALF_ARCH_GENERIC_PTABLE_H

#include <stdbool.h>

#include <mm/pmap.h>
#include <ptable_md.h> /* pt_entry_t, pt_valid(), pt_frame(), pt_wrprotect() */

#define PTABLE_CHUNKS 16u
#define PTABLE_CHUNK_ENTRIES (PTABLE_ENTRIES / PTABLE_CHUNKS)

_Static_assert(PTABLE_ENTRIES * sizeof(pt_entry_t) == PAGE_SIZE, "a table is one frame");
_Static_assert((uint64_t)PTABLE_ENTRIES * PAGE_SIZE == PMAP_TABLE_SPAN, "a table maps the span");
_Static_assert(PMAP_TABLE_SLOTS % 32 == 0, "slots are recorded 32 to a word");

/* The entries of the table frame t, through the direct map. */
static inline pt_entry_t *ptable_entries(paddr_t t)
{
	return (pt_entry_t *)pmap_kva(t);
}

/* Index in its table of the entry that maps va. */
static inline unsigned ptable_index(vaddr_t va)
{
	return (unsigned)(va / PAGE_SIZE) % PTABLE_ENTRIES;
}

/*
 * A pmap's record (struct pmap's slots_used) of which of its
 * PMAP_TABLE_SLOTS table slots hold a table, slot s mapping
 * [PMAP_TABLE_SLOT_BASE + s * PMAP_TABLE_SPAN, + PMAP_TABLE_SPAN): range
 * walks and teardown visit those, never the empty spans between them.
 */
static inline unsigned ptable_slot_of(vaddr_t va)
{
	return (unsigned)((va - PMAP_TABLE_SLOT_BASE) / PMAP_TABLE_SPAN);
}

static inline vaddr_t ptable_slot_base(unsigned slot)
{
	return PMAP_TABLE_SLOT_BASE + (vaddr_t)slot * PMAP_TABLE_SPAN;
}

static inline void ptable_slot_set(uint32_t *used, unsigned slot, bool on)
{
	if (on)
		used[slot / 32] |= 1u << (slot % 32);
	else
		used[slot / 32] &= ~(1u << (slot % 32));
}

/* The first used slot at or after from, or PMAP_TABLE_SLOTS when none is left. */
static inline unsigned ptable_slot_next(const uint32_t *used, unsigned from)
{
	for (unsigned w = from / 32; w < PMAP_TABLE_SLOTS / 32; w++) {
		uint32_t bits = used[w] & (w == from / 32 ? ~0u << (from % 32) : ~0u);
		if (bits)
			return w * 32 + (unsigned)__builtin_ctz(bits);
	}
	return PMAP_TABLE_SLOTS;
}

/* A zeroed table frame with no chunk used, in *t. 0 or -ENOMEM. */
int ptable_alloc(paddr_t *t);

/* Record that entry idx of t may now be valid (before writing it). */
void ptable_mark(paddr_t t, unsigned idx);

/*
 * Copy table t into a new frame *out: each valid entry made read-only in
 * both, each mapped frame gaining a reference for the copy. Returns 0, or
 * -ENOMEM/-EOVERFLOW with no count changed and no frame kept (t's entries
 * may already be read-only: harmless, a write then takes a COW fault).
 */
int ptable_copy(paddr_t t, paddr_t *out);

/*
 * Clear entries [first, end) of t, dropping the reference each valid one
 * held. Returns how many were valid (each may have a TLB entry to drop).
 */
unsigned ptable_clear(paddr_t t, unsigned first, unsigned end);

/*
 * Let go of one user's reference to table t: the last user releases every
 * frame the table maps and frees it. Safe against another user dropping its
 * reference at the same time (frame_unref_unless_last).
 */
void ptable_drop(paddr_t t);

/*
 * Let go of every table pm uses (ptable_drop each, through the slot hooks
 * below) and clear its slot record: a space's teardown. The caller has made
 * sure no CPU walks pm's top-level table any more.
 */
void ptable_drop_all(struct pmap *pm);

/* Make the descriptors [e, e + n) visible to the table walker (arch-supplied). */
void ptable_sync(pt_entry_t *e, unsigned n);

/*
 * What the arch supplies about a table slot: the top-level entry (armv7: the
 * group of four first-level entries) through which a pmap reaches the table
 * mapping an address, and how a shared table is refused writes there.
 */
struct ptable_slot {
	paddr_t table; /* the table frame, when present */
	bool present;
	bool shared;   /* refused writes (armv7: every access) until pmap_unshare */
};

/* Read the slot of pm that holds va. */
void ptable_md_slot_get(const struct pmap *pm, vaddr_t va, struct ptable_slot *slot);

/* Point va's slot at table t, shared or pm's own, and record the slot used. */
void ptable_md_slot_set(struct pmap *pm, vaddr_t va, paddr_t t, bool shared);

/* Empty va's slot and record it unused. */
void ptable_md_slot_clear(struct pmap *pm, vaddr_t va);

/* Drop every TLB entry pm may have cached (armv7: its ASID; i386: a CR3 load if active). */
void ptable_md_flush_space(const struct pmap *pm);

#endif
