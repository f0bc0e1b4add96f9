/*
 * fault.c - the one portable page-fault handler.
 *
 * The arch reports what the hardware saw; everything decided here depends
 * only on the regions and on the pmap's current state, which is re-read under
 * the address-space lock (as Linux's do_wp_page re-checks the PTE), so a
 * fault that another path already resolved is simply retried.
 *
 * After fork, parent and child share page tables (vm_space_clone). The first
 * fault of a space in such a table first gives it a table of its own
 * (pmap_unshare); from there the per-page rules apply: a write to a frame
 * only this table maps reuses it, a write to a frame another table maps
 * copies it, an unmapped page in a region is filled with zeroes.
 */
#include <errno.h>

#include <mm/frame.h>
#include <mm/vm.h>

/*
 * What every space's faults did. The counters are shared by all spaces, so
 * no space lock covers them: they move by atomic increments, which stay
 * exact when faults in two spaces run on two CPUs at once.
 */
static struct vm_fault_stats stats;

static void stat_inc(uint32_t *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

void vm_fault_stats_get(struct vm_fault_stats *st)
{
	st->cow_copy = __atomic_load_n(&stats.cow_copy, __ATOMIC_RELAXED);
	st->cow_reuse = __atomic_load_n(&stats.cow_reuse, __ATOMIC_RELAXED);
	st->zero_fill = __atomic_load_n(&stats.zero_fill, __ATOMIC_RELAXED);
	st->spurious = __atomic_load_n(&stats.spurious, __ATOMIC_RELAXED);
	st->table_copy = __atomic_load_n(&stats.table_copy, __ATOMIC_RELAXED);
	st->table_reuse = __atomic_load_n(&stats.table_reuse, __ATOMIC_RELAXED);
	st->bad = __atomic_load_n(&stats.bad, __ATOMIC_RELAXED);
}

/*
 * The kernel just filled or copied the frame at pa for r: if r is writable
 * and executable, the CPU may run what is there, so its instruction side
 * must see it (mm/pmap.h). A read-only executable region is synced by the
 * loader once it has written it (vm_sync_icache), not at its fill.
 */
static inline void fault_sync_exec(const struct vm_region *r, paddr_t pa)
{
	if (__builtin_expect((r->prot & (VM_PROT_WRITE | VM_PROT_EXEC)) ==
				     (VM_PROT_WRITE | VM_PROT_EXEC), 0))
		pmap_sync_icache(pa, PAGE_SIZE);
}

/* Write to a shared frame: give this space its own copy, then drop the share. */
static int fault_wp_copy(struct vmspace *vs, const struct vm_region *r, vaddr_t va, paddr_t pa)
{
	paddr_t copy;
	/* A MAP_NORESERVE page is covered by no charge: its copy is not either. */
	int err = vm_region_frames_charged(r) ? frame_alloc(&copy) : frame_alloc_uncharged(&copy, false);
	if (err)
		return err; /* the sharers keep pa untouched; the caller kills this task */
	pmap_copy_page(pa, copy);
	fault_sync_exec(r, copy);
	err = pmap_enter(&vs->pmap, va, copy, r->prot);
	if (err) {
		frame_unref(copy);
		return err;
	}
	frame_unref(pa);
	stat_inc(&stats.cow_copy);
	return 0;
}

/*
 * A zeroed frame for the first touch of a page in r. A writable region's
 * page is part of the space's charge (a shared one's, of its shm record's);
 * a loaded read-only region's (filled whole when the region is added) and a
 * MAP_NORESERVE one's are not, so their frame is taken uncharged.
 */
static inline int fault_fill_frame(const struct vm_region *r, paddr_t *pa)
{
	if (__builtin_expect(vm_region_frames_charged(r), 1))
		return frame_alloc_zeroed(pa);
	return frame_alloc_uncharged(pa, true);
}

/* First touch of a page in a region: map a zeroed frame. */
static int fault_fill_zero(struct vmspace *vs, const struct vm_region *r, vaddr_t va)
{
	paddr_t pa;
	int err = fault_fill_frame(r, &pa);
	if (err)
		return err;
	fault_sync_exec(r, pa);
	err = pmap_enter(&vs->pmap, va, pa, r->prot);
	if (err) {
		frame_unref(pa);
		return err;
	}
	stat_inc(&stats.zero_fill);
	return 0;
}

/* Give vs a table of its own for va, which it shares; counts what that took. */
static int table_own(struct vmspace *vs, vaddr_t va)
{
	bool copied;
	int err = pmap_unshare(&vs->pmap, va, &copied);
	if (err == 0)
		stat_inc(copied ? &stats.table_copy : &stats.table_reuse);
	return err;
}

int vm_table_own_locked(struct vmspace *vs, vaddr_t va)
{
	mm_mutex_assert_held(&vs->lock);
	return pmap_table_shared(&vs->pmap, va) ? table_own(vs, va) : 0;
}

/*
 * The permissions a read or fetch of a page whose entry allows less than
 * its region (mprotect lowered it, and raised the region again since) gives
 * the entry back: what the region allows, except write, which only a write
 * fault grants (the COW decision). A page newly executable gets its
 * instruction side synced.
 */
static vm_prot_t fault_raise_prot(const struct vm_region *r, const struct pmap_entry *e)
{
	vm_prot_t prot = r->prot & (vm_prot_t)(e->prot | ~VM_PROT_WRITE);
	if ((prot & VM_PROT_EXEC) && !(e->prot & VM_PROT_EXEC))
		pmap_sync_icache(e->pa, PAGE_SIZE);
	return prot;
}

/*
 * Resolve an access to va in vs, which the caller has to itself (its lock,
 * or as its only user); see vm_fault(). One walk (pmap_lookup) tells
 * everything the decision needs, so the commonest fault, a reuse, costs one
 * walk and one entry rewritten.
 */
static inline int fault_resolve(struct vmspace *vs, vaddr_t va, vm_prot_t access)
{
	const struct vm_region *r = vm_region_find(vs, va);
	if (!r)
		return -EFAULT;
	if ((r->prot & access) != access)
		return -EACCES;
	va = page_trunc(va);
	struct pmap_entry e;
	bool mapped, split = false;
	/* One call site for the walk, so it is inlined here. */
	for (;;) {
		mapped = pmap_lookup(&vs->pmap, va, &e);
		if (__builtin_expect(!e.shared, 1))
			break;
		int err = table_own(vs, va); /* never shared after success: one more turn */
		if (err)
			return err;
		split = true;
	}
	if (!mapped)
		return fault_fill_zero(vs, r, va);
	if ((e.prot & access) == access) {
		if (!split)
			stat_inc(&stats.spurious);
		return 0;
	}
	vm_prot_t prot = r->prot;
	if (!(access & VM_PROT_WRITE)) {
		prot = fault_raise_prot(r, &e);
	} else if (r->flags & VM_REGION_SHARED) {
		/* One frame for every space: never copied. */
	} else if (frame_refcount(e.pa) == 1) {
		/* The table is this space's own now: a count of 1 means no one else maps the frame. */
		stat_inc(&stats.cow_reuse); /* reuse: no copy, no allocation */
	} else {
		return fault_wp_copy(vs, r, va, e.pa);
	}
	/* One call site, so the entry's rewrite is inlined into the commonest fault, a reuse. */
	pmap_update(&vs->pmap, va, &e, prot);
	return 0;
}

int vm_fault_resolve_locked(struct vmspace *vs, vaddr_t va, vm_prot_t access)
{
	mm_mutex_assert_held(&vs->lock);
	return fault_resolve(vs, va, access);
}

/*
 * Never inlined (LTO would, on i386): every page fault passes here, which
 * makes it the place to break on (./calf debug, tests/debug) and a name
 * every fault's backtrace shows.
 */
__attribute__((noinline)) int vm_fault(struct vmspace *vs, const struct vm_fault_info *fi)
{
	if (fi->kind == VM_FAULT_ALIGN || fi->kind == VM_FAULT_OTHER) {
		stat_inc(&stats.bad);
		return -EINVAL;
	}
	/*
	 * The mutex keeps the users of vs apart; a lone holder has nobody to
	 * keep out (vm_space_alone). Read once: only this task could add a
	 * user, a reader's hold changes nothing here, and a holder leaving
	 * while we hold the lock does not change who unlocks.
	 */
	bool alone = vm_space_alone(vs);
	if (!alone)
		mm_mutex_lock(&vs->lock);
	/* One writer at a time (the mutex, or the lone user): a plain add; ps reads it relaxed. */
	__atomic_store_n(&vs->faults, vs->faults + 1, __ATOMIC_RELAXED);
	int err = fault_resolve(vs, fi->addr, fi->access);
	if (!alone)
		mm_mutex_unlock(&vs->lock);
	if (err)
		stat_inc(&stats.bad);
	return err;
}
