/*
 * frame.c - reference-counted physical frame table.
 *
 * Free frames form a singly linked stack threaded through their records, so
 * alloc and free are O(1). The shared counter moves when a count crosses
 * between 1 and 2, so frame_stats_get() never walks the table. The commit
 * counters (committed, uncharged) live here too, under the same lock, so a
 * promise is checked against the frames taken outside promises atomically.
 */
#include <mm/frame.h>

#include <errno.h>

#define FRAME_NONE UINT32_MAX

static struct {
	struct mm_lock lock;
	struct frame *recs;
	paddr_t base;
	uint32_t count;
	uint32_t free_head;
	uint32_t nfree;
	uint32_t nshared;
	uint32_t committed; /* frames promised (frame_commit) */
	uint32_t uncharged; /* allocated frames marked FRAME_UNCHARGED */
	bool strict;        /* FRAME_COMMIT_STRICT */
} ft;

void frame_table_init(struct frame *recs, paddr_t base, uint32_t count)
{
	ft.recs = recs;
	ft.base = base;
	ft.count = count;
	ft.nfree = count;
	ft.nshared = 0;
	ft.committed = 0;
	ft.uncharged = 0;
	ft.strict = false;
	ft.free_head = count ? 0 : FRAME_NONE;
	for (uint32_t i = 0; i < count; i++) {
		recs[i].refs = 0;
		recs[i].aux = 0;
		recs[i].next = (i + 1 < count) ? i + 1 : FRAME_NONE;
	}
}

bool frame_managed(paddr_t pa)
{
	return pa >= ft.base && ((pa - ft.base) >> PAGE_SHIFT) < ft.count &&
	       (pa & PAGE_MASK) == 0;
}

/* Stop on a reference to pa that is no frame of the table, or a free one. */
static _Noreturn __attribute__((noinline, cold)) void frame_bad(paddr_t pa)
{
	mm_panic(frame_managed(pa) ? "frame: reference to a free frame"
				   : "frame: address outside the frame table");
}

/*
 * Record of an allocated frame; a bad address is a broken invariant. One
 * unsigned compare covers both ends of the table (below base wraps high):
 * table walks call this once per entry.
 */
static inline struct frame *frame_record(paddr_t pa)
{
	uint32_t i = (uint32_t)((pa - ft.base) >> PAGE_SHIFT);
	if (i >= ft.count || (pa & PAGE_MASK) || ft.recs[i].refs == 0)
		frame_bad(pa);
	return &ft.recs[i];
}

/* Pop a free frame with refs = 1 and the given flags into *pa; lock held. 0 or -ENOMEM. */
static inline int frame_take_locked(paddr_t *pa, uint32_t flags)
{
	mm_lock_assert_held(&ft.lock);
	uint32_t i = ft.free_head;
	if (i == FRAME_NONE)
		return -ENOMEM;
	ft.free_head = ft.recs[i].next;
	ft.recs[i].refs = 1;
	ft.recs[i].aux = 0;
	ft.recs[i].flags = flags;
	ft.nfree--;
	*pa = ft.base + (i << PAGE_SHIFT);
	return 0;
}

int frame_alloc(paddr_t *pa)
{
	mm_lock_acquire(&ft.lock);
	int err = frame_take_locked(pa, 0);
	mm_lock_release(&ft.lock);
	return err;
}

int frame_alloc_zeroed(paddr_t *pa)
{
	int err = frame_alloc(pa);
	if (err == 0)
		pmap_zero_page(*pa);
	return err;
}

/* True when n more frames fit beside what is promised and taken unpromised; lock held. */
static bool frame_commit_fits_locked(uint32_t n)
{
	mm_lock_assert_held(&ft.lock);
	return (uint64_t)ft.committed + ft.uncharged + n <= ft.count;
}

int frame_alloc_uncharged(paddr_t *pa, bool zero)
{
	mm_lock_acquire(&ft.lock);
	int err = -ENOMEM;
	if (!ft.strict || frame_commit_fits_locked(1))
		err = frame_take_locked(pa, FRAME_UNCHARGED);
	if (err == 0)
		ft.uncharged++;
	mm_lock_release(&ft.lock);
	if (err == 0 && zero)
		pmap_zero_page(*pa);
	return err;
}

void frame_commit_mode_set(enum frame_commit_mode mode)
{
	mm_lock_acquire(&ft.lock);
	ft.strict = mode == FRAME_COMMIT_STRICT;
	mm_lock_release(&ft.lock);
}

int frame_commit(uint32_t n)
{
	mm_lock_acquire(&ft.lock);
	int err = 0;
	if (ft.strict && !frame_commit_fits_locked(n))
		err = -ENOMEM;
	else
		ft.committed += n;
	mm_lock_release(&ft.lock);
	return err;
}

void frame_uncommit(uint32_t n)
{
	mm_lock_acquire(&ft.lock);
	if (n > ft.committed)
		mm_panic("frame: more frames uncommitted than committed");
	ft.committed -= n;
	mm_lock_release(&ft.lock);
}

void frame_batch_begin(void)
{
	mm_lock_acquire(&ft.lock);
}

void frame_batch_end(void)
{
	mm_lock_release(&ft.lock);
}

int frame_ref_locked(paddr_t pa)
{
	mm_lock_assert_held(&ft.lock);
	struct frame *f = frame_record(pa);
	if (f->refs >= FRAME_REF_MAX)
		return -EOVERFLOW;
	if (++f->refs == 2)
		ft.nshared++;
	return 0;
}

void frame_unref_locked(paddr_t pa)
{
	mm_lock_assert_held(&ft.lock);
	struct frame *f = frame_record(pa);
	f->refs--;
	if (f->refs == 1) {
		ft.nshared--;
	} else if (f->refs == 0) {
		if (f->flags & FRAME_UNCHARGED)
			ft.uncharged--;
		f->next = ft.free_head;
		ft.free_head = (uint32_t)(f - ft.recs);
		ft.nfree++;
	}
}

int frame_ref(paddr_t pa)
{
	mm_lock_acquire(&ft.lock);
	int err = frame_ref_locked(pa);
	mm_lock_release(&ft.lock);
	return err;
}

void frame_unref(paddr_t pa)
{
	mm_lock_acquire(&ft.lock);
	frame_unref_locked(pa);
	mm_lock_release(&ft.lock);
}

bool frame_unref_unless_last(paddr_t pa)
{
	mm_lock_acquire(&ft.lock);
	struct frame *f = frame_record(pa);
	bool dropped = f->refs > 1;
	if (dropped && --f->refs == 1)
		ft.nshared--;
	mm_lock_release(&ft.lock);
	return dropped;
}

uint32_t frame_refcount(paddr_t pa)
{
	uint32_t i = (uint32_t)((pa - ft.base) >> PAGE_SHIFT); /* below base wraps high */
	return i < ft.count && !(pa & PAGE_MASK) ? ft.recs[i].refs : 0;
}

uint16_t frame_aux_get(paddr_t pa)
{
	return frame_record(pa)->aux;
}

void frame_aux_set(paddr_t pa, uint16_t aux)
{
	frame_record(pa)->aux = aux;
}

void frame_stats_get(struct frame_stats *st)
{
	mm_lock_acquire(&ft.lock);
	st->total = ft.count;
	st->free = ft.nfree;
	st->used = ft.count - ft.nfree;
	st->shared = ft.nshared;
	st->committed = ft.committed;
	st->uncharged = ft.uncharged;
	st->strict = ft.strict;
	mm_lock_release(&ft.lock);
}
