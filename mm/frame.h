/*
 * frame.h - the physical frame table: one reference-counted record per 4 KiB
 * frame of allocatable RAM, O(1) allocation and free, and running counters.
 */
#ifndef CALF_MM_FRAME_H
#define CALF_MM_FRAME_H

#include <mm/pmap.h>

/* Highest reference count; one more is refused, never wrapped. */
#define FRAME_REF_MAX UINT16_MAX

struct frame {
	uint16_t refs;  /* page tables mapping it and other holders; 0 when free */
	uint16_t aux;   /* the holder's own use (frame_aux_get) */
	union {
		uint32_t next;  /* free: index of the next free frame */
		uint32_t flags; /* allocated: FRAME_UNCHARGED or 0 */
	};
};
_Static_assert(sizeof(struct frame) == 8, "frame records are packed for RAM");

/* An allocated frame no commit charge covers (frame_alloc_uncharged). */
#define FRAME_UNCHARGED 0x1u

struct frame_stats {
	uint32_t total;     /* frames the table manages */
	uint32_t free;      /* refs == 0 */
	uint32_t used;      /* refs >= 1 */
	uint32_t shared;    /* refs >= 2: frames shared copy-on-write */
	uint32_t committed; /* frames promised ahead of use (frame_commit) */
	uint32_t uncharged; /* frames in use that no promise covers */
	bool strict;        /* FRAME_COMMIT_STRICT: promises are refused beyond total */
};

/*
 * Commit accounting (docs/design.md, "Strict commit"). Address spaces are
 * promised the frames they may come to need (frame_commit) before they can
 * need them; frames taken outside any promise are marked uncharged and
 * counted until they are freed. Every frame in use is promised or marked,
 * so used <= committed + uncharged always holds. In strict mode the table
 * also keeps committed + uncharged <= total, refusing a promise or an
 * uncharged frame that would break it: a frame promised is then a frame
 * that will be there. In overcommit mode the counts are kept, not enforced.
 */
enum frame_commit_mode {
	FRAME_COMMIT_OVERCOMMIT, /* the default: counted, never refused */
	FRAME_COMMIT_STRICT,
};

/*
 * Manage count frames starting at physical address base (page aligned),
 * keeping their records in recs[count]. All frames start free, nothing is
 * committed, and the mode is FRAME_COMMIT_OVERCOMMIT.
 */
void frame_table_init(struct frame *recs, paddr_t base, uint32_t count);

/* Choose the commit mode; at boot, before any frame is promised or taken. */
void frame_commit_mode_set(enum frame_commit_mode mode);

/*
 * Promise n more frames. Returns 0, or -ENOMEM in strict mode when
 * committed + uncharged + n would exceed total (nothing changes then).
 */
int frame_commit(uint32_t n);

/* Take back n frames promised by frame_commit(), once they are no longer in use. */
void frame_uncommit(uint32_t n);

/* Take a free frame with refs = 1 into *pa. Returns 0 or -ENOMEM. */
int frame_alloc(paddr_t *pa);

/* Take a free frame and zero it. Returns 0 or -ENOMEM. */
int frame_alloc_zeroed(paddr_t *pa);

/*
 * Take a free frame, zeroed when zero is set, that no promise covers (text
 * loaded at exec, a kernel buffer): it counts as uncharged until freed. In
 * strict mode it is refused (-ENOMEM) when committed + uncharged has
 * reached total, so it never takes a promised frame. Returns 0 or -ENOMEM.
 */
int frame_alloc_uncharged(paddr_t *pa, bool zero);

/* Add a reference to an allocated frame. Returns 0 or -EOVERFLOW at FRAME_REF_MAX. */
int frame_ref(paddr_t pa);

/* Drop a reference; the frame returns to the free list when none is left. */
void frame_unref(paddr_t pa);

/*
 * Drop a reference unless it is the last one. Returns true when it dropped
 * one; false means the caller holds the only reference and owns the frame
 * (a page table whose entries it must release before frame_unref()). Checks
 * and drops under one lock, so two holders never both see themselves last.
 */
bool frame_unref_unless_last(paddr_t pa);

/*
 * Batches: a walk over many frames (a page table's entries) takes the frame
 * table's lock once per batch and calls the _locked forms inside. Keep a
 * batch short (32 entries): interrupts stay off while it runs.
 */
void frame_batch_begin(void);
void frame_batch_end(void);
int frame_ref_locked(paddr_t pa);
void frame_unref_locked(paddr_t pa);

/* Current reference count of the frame at pa. */
uint32_t frame_refcount(paddr_t pa);

/* True when pa is a frame this table manages. */
bool frame_managed(paddr_t pa);

/*
 * A 16-bit word the holder of an allocated frame may keep in its record:
 * page tables keep which parts of them hold entries, so table-wide walks
 * skip the empty ones. Zero when the frame is allocated.
 */
uint16_t frame_aux_get(paddr_t pa);
void frame_aux_set(paddr_t pa, uint16_t aux);

/* Snapshot of the counters. */
void frame_stats_get(struct frame_stats *st);

#endif
