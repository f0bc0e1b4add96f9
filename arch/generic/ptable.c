/*
 * ptable.c - the walks over a second-level table that every port shares,
 * and the pmap contract's range operations over the arch's table slots
 * (see ptable.h). Two walks serve them all, once: ptable_walk over the
 * table slots a range reaches (only the used ones), and ptable_runs over a
 * table's entries (only the chunks that ever held one). Each range
 * operation visits tables, never pages, and invalidates the TLB once.
 *
 * Preemption: the frame lock, which keeps interrupts off, is held for one
 * run of at most BATCH_ENTRIES entries at a time, and nothing else is held
 * between runs or tables, so a walk over many tables (a large munmap) is
 * preemptible between runs. The caller holds
 * the space's mutex (or the space is unreachable, at teardown), so nothing
 * else changes pm meanwhile. A shared table's entries change under no
 * mutex only by write-protection, which every sharer's copy applies alike,
 * and a sharer frees the table only when it is the last user, never while
 * another one is copying it (the copier still holds its reference).
 */
#include <arch/generic/ptable.h>

#include <errno.h>
#include <string.h>

#include <mm/frame.h>

/* The chunks of t that ever held a valid entry. */
static unsigned ptable_chunks_used(paddr_t t)
{
	return frame_aux_get(t);
}

int ptable_alloc(paddr_t *t)
{
	int err = frame_alloc_zeroed(t); /* a fresh frame's aux is 0: no chunk used */
	if (err == 0)
		ptable_sync(ptable_entries(*t), PTABLE_ENTRIES); /* the walker must see zeros, not old RAM */
	return err;
}

void ptable_mark(paddr_t t, unsigned idx)
{
	unsigned bit = 1u << (idx / PTABLE_CHUNK_ENTRIES);
	unsigned used = ptable_chunks_used(t);
	if (!(used & bit))
		frame_aux_set(t, (uint16_t)(used | bit));
}

/*
 * Entries a walk handles per hold of the frame lock: the longest section a
 * table walk keeps interrupts off (about 1,400 instructions on armv7). The
 * lock goes between batches, a preemption point.
 */
#define BATCH_ENTRIES 32u

/* True when chunk c of a table whose used-chunk word is used ever held an entry. */
static bool chunk_used(unsigned used, unsigned c)
{
	return used & (1u << c);
}

/*
 * The walk over a table's entries [i, end) that every table operation
 * shares: it yields runs of at most BATCH_ENTRIES entries, each inside one
 * chunk that ever held a valid entry, and skips an unused chunk in one step.
 */
struct ptable_runs {
	unsigned used; /* the table's used-chunk word */
	unsigned i, end;
};

static struct ptable_runs ptable_runs_of(paddr_t t, unsigned first, unsigned end)
{
	return (struct ptable_runs){ ptable_chunks_used(t), first, end };
}

/* The next run in [*from, *to); false when the entries are done. */
static inline bool ptable_run_next(struct ptable_runs *r, unsigned *from, unsigned *to)
{
	while (r->i < r->end) {
		unsigned c = r->i / PTABLE_CHUNK_ENTRIES, stop = (c + 1) * PTABLE_CHUNK_ENTRIES;
		if (!chunk_used(r->used, c)) {
			r->i = stop;
			continue;
		}
		if (stop > r->i + BATCH_ENTRIES)
			stop = r->i + BATCH_ENTRIES;
		*from = r->i;
		*to = stop < r->end ? stop : r->end;
		r->i = *to;
		return true;
	}
	return false;
}

/*
 * Clear the entries [from, to) of e, one run, dropping their references
 * under one hold of the frame lock; returns how many were valid.
 * flatten: the per-entry frame-table calls must be inlined; LTO's own choice once left them
 * out of line and a table-wide walk cost a third more.
 */
__attribute__((flatten)) static unsigned ptable_clear_run(pt_entry_t *e, unsigned from, unsigned to)
{
	unsigned cleared = 0;
	frame_batch_begin();
	for (unsigned i = from; i < to; i++) {
		if (pt_valid(e[i])) {
			frame_unref_locked(pt_frame(e[i]));
			e[i] = 0;
			cleared++;
		}
	}
	frame_batch_end();
	return cleared;
}

unsigned ptable_clear(paddr_t t, unsigned first, unsigned end)
{
	pt_entry_t *e = ptable_entries(t);
	unsigned cleared = 0, from, to;
	/* Between runs every entry so far is cleared and released: nothing half done. */
	for (struct ptable_runs r = ptable_runs_of(t, first, end); ptable_run_next(&r, &from, &to);)
		cleared += ptable_clear_run(e, from, to);
	if (cleared)
		ptable_sync(&e[first], end - first);
	return cleared;
}

/* Drop the references held by every valid entry of t, which is about to be freed. */
static void ptable_release_frames(paddr_t t)
{
	pt_entry_t *e = ptable_entries(t);
	unsigned from, to;
	for (struct ptable_runs r = ptable_runs_of(t, 0, PTABLE_ENTRIES); ptable_run_next(&r, &from, &to);)
		ptable_clear_run(e, from, to);
}

void ptable_drop(paddr_t t)
{
	if (frame_unref_unless_last(t))
		return;
	ptable_release_frames(t);
	frame_unref(t);
}

void ptable_drop_all(struct pmap *pm)
{
	for (unsigned s = ptable_slot_next(pm->slots_used, 0); s < PMAP_TABLE_SLOTS;
	     s = ptable_slot_next(pm->slots_used, s + 1)) {
		struct ptable_slot slot;
		ptable_md_slot_get(pm, ptable_slot_base(s), &slot);
		ptable_drop(slot.table);
	}
	memset(pm->slots_used, 0, sizeof(pm->slots_used));
}

/*
 * Copy the run [from, to) from src to the zeroed dst, write-protecting each
 * valid entry in both and referencing its frame, under one hold of the frame
 * lock. 0 or -errno; dst then holds exactly the entries that were
 * referenced. flatten, as for ptable_clear_run.
 */
__attribute__((flatten)) static int ptable_copy_run(pt_entry_t *src, pt_entry_t *dst, unsigned from,
						      unsigned to)
{
	int err = 0;
	frame_batch_begin();
	for (unsigned i = from; i < to; i++) {
		pt_entry_t v = src[i];
		if (!pt_valid(v))
			continue; /* dst is zeroed already */
		err = frame_ref_locked(pt_frame(v));
		if (err)
			break;
		v = pt_wrprotect(v);
		src[i] = v;
		dst[i] = v;
	}
	frame_batch_end();
	return err;
}

int ptable_copy(paddr_t t, paddr_t *out)
{
	paddr_t c;
	int err = frame_alloc_zeroed(&c);
	if (err)
		return err;
	pt_entry_t *src = ptable_entries(t), *dst = ptable_entries(c);
	unsigned used = ptable_chunks_used(t), from, to;
	/* Between runs dst holds exactly the entries referenced so far. */
	for (struct ptable_runs r = ptable_runs_of(t, 0, PTABLE_ENTRIES);
	     !err && ptable_run_next(&r, &from, &to);)
		err = ptable_copy_run(src, dst, from, to);
	if (err) {
		/* The copy holds exactly the entries referenced so far: dropping it undoes them. */
		frame_aux_set(c, (uint16_t)used);
		ptable_release_frames(c);
		frame_unref(c);
		return err;
	}
	frame_aux_set(c, (uint16_t)used);
	/* The copy is new, all of it; in the source only the used chunks changed. */
	ptable_sync(dst, PTABLE_ENTRIES);
	for (unsigned k = 0; k < PTABLE_CHUNKS; k++)
		if (chunk_used(used, k))
			ptable_sync(&src[k * PTABLE_CHUNK_ENTRIES], PTABLE_CHUNK_ENTRIES);
	*out = c;
	return 0;
}

/* Base of the table span holding va. */
static vaddr_t span_base(vaddr_t va)
{
	return va & ~(vaddr_t)(PMAP_TABLE_SPAN - 1);
}

/* True when [sva, eva) covers the whole span at base. */
static bool span_covered(vaddr_t base, vaddr_t sva, vaddr_t eva)
{
	return sva <= base && base + PMAP_TABLE_SPAN <= eva;
}

/*
 * The walk over the table slots of pm that hold a table inside [sva, eva)
 * that every range operation shares: it reads only the slots pm's record
 * says are used, so a run of empty spans costs one step, never a page each.
 * A step may clear the slot it was given: the walk goes on after it.
 */
struct ptable_walk {
	const struct pmap *pm;
	vaddr_t sva, eva;   /* the range, sva < eva */
	unsigned next, last; /* the next slot to look at; the last one the range reaches */
};

/* One step of a walk: a present slot and the part of the range in its table. */
struct ptable_span {
	vaddr_t base;        /* the slot's first address */
	struct ptable_slot slot;
	unsigned first, end; /* the table's entries inside the range */
	bool whole;          /* the range covers the slot's whole span */
};

static struct ptable_walk ptable_walk_of(const struct pmap *pm, vaddr_t sva, vaddr_t eva)
{
	return (struct ptable_walk){ pm, sva, eva, ptable_slot_of(sva), ptable_slot_of(eva - 1) };
}

/* The next present slot of the walk in *sp; false when the range is done. */
static inline __attribute__((always_inline)) bool ptable_walk_next(struct ptable_walk *w,
								   struct ptable_span *sp)
{
	for (unsigned i = ptable_slot_next(w->pm->slots_used, w->next); i <= w->last;
	     i = ptable_slot_next(w->pm->slots_used, i + 1)) {
		sp->base = ptable_slot_base(i);
		ptable_md_slot_get(w->pm, sp->base, &sp->slot);
		if (!sp->slot.present)
			continue;
		w->next = i + 1;
		vaddr_t s = w->sva > sp->base ? w->sva : sp->base;
		vaddr_t e = w->eva - sp->base < PMAP_TABLE_SPAN ? w->eva : sp->base + PMAP_TABLE_SPAN;
		sp->first = ptable_index(s);
		sp->end = ptable_index(e - 1) + 1;
		sp->whole = span_covered(sp->base, w->sva, w->eva);
		return true;
	}
	w->next = w->last + 1;
	return false;
}

bool pmap_table_shared(const struct pmap *pm, vaddr_t va)
{
	struct ptable_slot slot;
	ptable_md_slot_get(pm, va, &slot);
	return slot.present && slot.shared;
}

int pmap_unshare(struct pmap *pm, vaddr_t va, bool *copied)
{
	struct ptable_slot slot;
	ptable_md_slot_get(pm, va, &slot);
	if (!slot.present || !slot.shared)
		mm_panic("pmap_unshare: the table is not shared");
	*copied = frame_refcount(slot.table) > 1;
	if (*copied) {
		paddr_t c;
		int err = ptable_copy(slot.table, &c);
		if (err)
			return err;
		ptable_md_slot_set(pm, va, c, false);
		ptable_drop(slot.table); /* another user may have left meanwhile: then it goes here */
	} else {
		ptable_md_slot_set(pm, va, slot.table, false);
	}
	/* Entries cached while the table was shared would keep faulting (armv7) or cost a spurious fault. */
	ptable_md_flush_space(pm);
	return 0;
}

void pmap_remove(struct pmap *pm, vaddr_t sva, vaddr_t eva)
{
	if (sva >= eva)
		return;
	/* Only the end tables can be partly inside; mm/ has made them pm's own. */
	vaddr_t ends[2] = { span_base(sva), span_base(eva - 1) };
	for (int k = 0; k < 2; k++)
		if (pmap_table_shared(pm, ends[k]) && !span_covered(ends[k], sva, eva))
			mm_panic("pmap_remove: a shared table only partly inside the range");
	bool changed = false;
	struct ptable_span sp;
	for (struct ptable_walk w = ptable_walk_of(pm, sva, eva); ptable_walk_next(&w, &sp);) {
		if (sp.whole) {
			ptable_md_slot_clear(pm, sp.base);
			ptable_drop(sp.slot.table);
			changed = true;
		} else {
			changed |= ptable_clear(sp.slot.table, sp.first, sp.end) != 0;
		}
	}
	/* One flush, whatever was removed: the loop stays per table, never per page. */
	if (changed)
		ptable_md_flush_space(pm);
}

int pmap_share(struct pmap *dst, struct pmap *src, vaddr_t sva, vaddr_t eva)
{
	if (sva >= eva)
		return 0;
	bool src_changed = false;
	int err = 0;
	struct ptable_span sp;
	/* Only the slots src uses: an untouched stretch of a region costs nothing. */
	for (struct ptable_walk w = ptable_walk_of(src, sva, eva); !err && ptable_walk_next(&w, &sp);) {
		struct ptable_slot d;
		ptable_md_slot_get(dst, sp.base, &d);
		if (d.present) {
			if (d.table != sp.slot.table)
				mm_panic("pmap_share: the destination maps that range already");
			continue; /* shared already, for another region in the same table */
		}
		err = frame_ref(sp.slot.table);
		if (err)
			break;
		if (!sp.slot.shared) {
			ptable_md_slot_set(src, sp.base, sp.slot.table, true);
			src_changed = true;
		}
		ptable_md_slot_set(dst, sp.base, sp.slot.table, true);
	}
	/* src's TLB may hold writable entries from before: one flush for all its tables. */
	if (src_changed)
		ptable_md_flush_space(src);
	return err;
}

/* Lower the valid entries [first, end) of t to prot (pt_protect). True when one changed. */
static bool ptable_protect(paddr_t t, unsigned first, unsigned end, vm_prot_t prot)
{
	pt_entry_t *e = ptable_entries(t);
	bool changed = false;
	unsigned from, to;
	/* No frame count moves: no frame lock, interrupts stay on (the caller holds pm's mutex). */
	for (struct ptable_runs r = ptable_runs_of(t, first, end); ptable_run_next(&r, &from, &to);) {
		for (unsigned i = from; i < to; i++) {
			pt_entry_t v = pt_valid(e[i]) ? pt_protect(e[i], prot) : e[i];
			if (v != e[i]) {
				e[i] = v;
				changed = true;
			}
		}
	}
	if (changed)
		ptable_sync(&e[first], end - first);
	return changed;
}

void pmap_protect(struct pmap *pm, vaddr_t sva, vaddr_t eva, vm_prot_t prot)
{
	if (sva >= eva)
		return;
	bool changed = false;
	struct ptable_span sp;
	for (struct ptable_walk w = ptable_walk_of(pm, sva, eva); ptable_walk_next(&w, &sp);) {
		if (sp.slot.shared)
			mm_panic("pmap_protect: a shared table (pmap_unshare first)");
		changed |= ptable_protect(sp.slot.table, sp.first, sp.end, prot);
	}
	/* One flush for the range, as pmap_remove. */
	if (changed)
		ptable_md_flush_space(pm);
}
