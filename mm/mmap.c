/*
 * mmap.c - memory maps: anonymous regions made, split, merged, protected,
 * locked and dropped over the region index of vm.c (mm/vm.h, "Memory maps").
 *
 * Every call holds the space's mutex throughout. Its loops run with
 * interrupts on (preemptible): over regions (at most VM_REGION_MAX), over
 * tables (pmap_remove, pmap_protect, whose interrupts-off sections are the
 * contract's 32-entry batches) or over pages (populating, one fault's work
 * per page, each under the frame lock only for its allocation). Nobody else
 * changes the space meanwhile: its other threads wait on the mutex, a ps
 * count (vm_space_usage) too.
 */
#include <errno.h>
#include <string.h>

#include <mm/frame.h>
#include <mm/vm.h>

/*
 * Shared anonymous memory's charge records: one per MAP_SHARED mapping,
 * held by every region (in any space) made from it. The pool's lock is
 * the frame-table style spinlock: each use is a few instructions.
 */
#define VM_SHM_MAX 128u
static struct {
	struct mm_lock lock;
	uint32_t refs[VM_SHM_MAX];
	uint32_t pages[VM_SHM_MAX];
} shm;

/* A record charged pages frames, held once, into *id. 0 or -ENOMEM (no record, charge refused). */
static int vm_shm_new(uint32_t pages, uint16_t *id)
{
	int err = frame_commit(pages);
	if (err)
		return err;
	mm_lock_acquire(&shm.lock);
	uint32_t i = 0;
	while (i < VM_SHM_MAX && shm.refs[i])
		i++;
	if (i < VM_SHM_MAX) {
		shm.refs[i] = 1;
		shm.pages[i] = pages;
	}
	mm_lock_release(&shm.lock);
	if (i == VM_SHM_MAX) {
		frame_uncommit(pages);
		return -ENOMEM;
	}
	*id = (uint16_t)(i + 1);
	return 0;
}

/* One more region holds record id (0: none). */
static void vm_shm_hold(uint16_t id)
{
	if (!id)
		return;
	mm_lock_acquire(&shm.lock);
	shm.refs[id - 1]++; /* at most one per region of every space: no wrap */
	mm_lock_release(&shm.lock);
}

void vm_shm_drop(uint16_t id)
{
	if (!id)
		return;
	mm_lock_acquire(&shm.lock);
	uint32_t pages = --shm.refs[id - 1] == 0 ? shm.pages[id - 1] : 0;
	mm_lock_release(&shm.lock);
	/* The caller has unmapped its pages: with the last holder gone, so is every frame. */
	if (pages)
		frame_uncommit(pages);
}

void vm_space_clone_regions_locked(struct vmspace *child, struct vmspace *parent)
{
	mm_mutex_assert_held(&parent->lock);
	child->nregions = parent->nregions;
	child->heap_start = parent->heap_start;
	child->mflags = parent->mflags & VM_SPACE_HAS_HEAP; /* POSIX fork: no memory locks inherited */
	memcpy(child->regions, parent->regions, parent->nregions * sizeof(parent->regions[0]));
	for (uint32_t i = 0; i < child->nregions; i++) {
		child->regions[i].flags &= (uint8_t)~VM_REGION_LOCKED;
		vm_shm_hold(child->regions[i].shm);
	}
}

/* True when [start, end) touches the heap (an empty heap at its start point too). */
static bool map_hits_heap_locked(struct vmspace *vs, vaddr_t start, vaddr_t end)
{
	const struct vm_region *h = vm_heap_locked(vs);
	if (!h)
		return false;
	vaddr_t hend = h->end > h->start ? h->end : h->start + 1;
	return start < hend && h->start < end;
}

/* True when [start, start + len) is page aligned, non-empty and inside user space. */
static bool map_range_ok(vaddr_t start, vaddr_t len)
{
	return !((start | len) & PAGE_MASK) && len && start >= PMAP_USER_START &&
	       start <= PMAP_USER_END && len <= PMAP_USER_END - start;
}

/* 0 when every page of [start, end) lies in a region, else -ENOMEM (POSIX: "not mapped"). */
static int map_covered_locked(struct vmspace *vs, vaddr_t start, vaddr_t end)
{
	vaddr_t at = start;
	for (uint32_t i = vm_region_index(vs, start); i < vs->nregions && at < end; i++) {
		const struct vm_region *r = &vs->regions[i];
		if (r->start > at)
			break;
		at = r->end;
	}
	return at >= end ? 0 : -ENOMEM;
}

/*
 * Make va a region boundary, splitting the region that holds it strictly
 * inside (never the heap, which stays whole). 0 or -ENOMEM (no slot).
 */
static int map_split_locked(struct vmspace *vs, vaddr_t va)
{
	uint32_t i = vm_region_index(vs, va), n = vs->nregions;
	if (i == n || vs->regions[i].start >= va || (vs->regions[i].flags & VM_REGION_HEAP))
		return 0;
	if (n == VM_REGION_MAX)
		return -ENOMEM;
	memmove(&vs->regions[i + 1], &vs->regions[i], (n - i) * sizeof(vs->regions[0]));
	vs->nregions = n + 1;
	vs->regions[i].end = va;
	vs->regions[i + 1].start = va;
	vm_shm_hold(vs->regions[i].shm); /* both halves hold the shared frames' record */
	return 0;
}

/* True when regions a and b (a just below) may become one: private, alike, touching. */
static bool map_mergeable(const struct vm_region *a, const struct vm_region *b)
{
	const uint8_t same = (uint8_t)~VM_REGION_ACCOUNT; /* equal charge is what counts */
	return a->end == b->start && a->prot == b->prot && ((a->flags ^ b->flags) & same) == 0 &&
	       !(a->flags & (VM_REGION_HEAP | VM_REGION_SHARED)) &&
	       vm_region_charged(a) == vm_region_charged(b);
}

/* Merge alike neighbours among the regions touching [start, end]; the charge is unchanged. */
static void map_merge_locked(struct vmspace *vs, vaddr_t start, vaddr_t end)
{
	uint32_t i = vm_region_index(vs, start);
	if (i > 0)
		i--;
	while (i + 1 < vs->nregions && vs->regions[i].start <= end) {
		struct vm_region *a = &vs->regions[i], *b = &vs->regions[i + 1];
		if (!map_mergeable(a, b)) {
			i++;
			continue;
		}
		a->end = b->end;
		a->flags |= b->flags;
		vm_region_delete_locked(vs, i + 1);
	}
	vs->region_hint = &vs->regions[0];
}

/* Remove [start, end) (page aligned, clear of the heap): pages, regions, charges. 0 or -ENOMEM. */
static int map_remove_locked(struct vmspace *vs, vaddr_t start, vaddr_t end)
{
	int err = map_split_locked(vs, start);
	if (err == 0)
		err = map_split_locked(vs, end);
	if (err == 0)
		err = vm_unmap_locked(vs, start, end); /* the regions still list the range: see there */
	if (err)
		return err; /* at most a split made: the same mappings, one more region */
	uint32_t i = vm_region_index(vs, start);
	while (i < vs->nregions && vs->regions[i].start < end) {
		uint16_t id = vs->regions[i].shm;
		vm_region_delete_locked(vs, i);
		vm_shm_drop(id);
	}
	vm_commit_release(vs, vs->charge - vm_charge_locked(vs));
	return 0;
}

int vm_populate_locked(struct vmspace *vs, vaddr_t start, vaddr_t end, vaddr_t *done)
{
	mm_mutex_assert_held(&vs->lock);
	for (*done = start; *done < end; *done += PAGE_SIZE) {
		const struct vm_region *r = vm_region_find(vs, *done);
		if (!r)
			mm_panic("mmap: populating a page outside every region");
		vm_prot_t want = r->prot & VM_PROT_WRITE; /* a private page then is this space's own */
		struct pmap_entry e;
		if (pmap_lookup(&vs->pmap, *done, &e) && !e.shared && (e.prot & want) == want)
			continue;
		int err = vm_fault_resolve_locked(vs, *done, want);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Where a map of len bytes goes without MAP_FIXED: the highest gap above
 * the heap (or the bottom of user space) that holds it with one unmapped
 * guard page above. O(regions above the heap). 0 or -ENOMEM.
 */
static int map_place_locked(struct vmspace *vs, vaddr_t len, vaddr_t *out)
{
	const struct vm_region *h = vm_heap_locked(vs);
	vaddr_t floor = h ? h->end + PAGE_SIZE : PMAP_USER_START;
	for (uint32_t i = vs->nregions;; i--) {
		vaddr_t lo = i ? vs->regions[i - 1].end : PMAP_USER_START;
		vaddr_t hi = i < vs->nregions ? vs->regions[i].start : PMAP_USER_END;
		if (lo < floor)
			lo = floor;
		if (hi > lo && hi - lo >= len + PAGE_SIZE) {
			*out = hi - PAGE_SIZE - len;
			return 0;
		}
		if (i == 0 || vs->regions[i - 1].end <= floor)
			return -ENOMEM;
	}
}

/* Region flags for a new map. */
static unsigned map_region_flags(const struct vmspace *vs, unsigned flags)
{
	struct frame_stats st;
	unsigned rf = (flags & VM_MAP_SHARED) ? VM_REGION_SHARED : VM_REGION_ACCOUNT;
	if ((flags & (VM_MAP_NORESERVE | VM_MAP_SHARED)) == VM_MAP_NORESERVE) {
		frame_stats_get(&st);
		if (!st.strict) /* strict commit charges it anyway: no fault may then fail */
			rf |= VM_REGION_NORESERVE;
	}
	if (vs->mflags & VM_SPACE_LOCK_FUTURE)
		rf |= VM_REGION_LOCKED;
	return rf;
}

/* Add the map [start, end), free: region, charge, frames as asked. 0 or -ENOMEM with nothing left. */
static int map_insert_locked(struct vmspace *vs, vaddr_t start, vaddr_t end, vm_prot_t prot,
			     unsigned flags)
{
	if (vs->nregions == VM_REGION_MAX)
		return -ENOMEM;
	unsigned rf = map_region_flags(vs, flags);
	uint16_t id = 0;
	int err = 0;
	if (rf & VM_REGION_SHARED)
		err = vm_shm_new((uint32_t)((end - start) >> PAGE_SHIFT), &id);
	if (err)
		return err;
	uint32_t i = vm_region_insert_locked(vs, start, end, prot, rf);
	vs->regions[i].shm = id;
	err = vm_commit_charge(vs, vm_charge_locked(vs) - vs->charge);
	vaddr_t done = start;
	/* Shared: every frame now, before any fork can share the tables (vm.h). */
	if (err == 0 && ((rf & (VM_REGION_SHARED | VM_REGION_LOCKED)) || (flags & VM_MAP_POPULATE)))
		err = vm_populate_locked(vs, start, end, &done);
	if (err) {
		vm_region_undo_locked(vs, vm_region_index(vs, start), done);
		return -ENOMEM;
	}
	map_merge_locked(vs, start, end);
	return 0;
}

int vm_map(struct vmspace *vs, vaddr_t *addr, vaddr_t len, vm_prot_t prot, unsigned flags)
{
	vaddr_t start = *addr;
	if ((start | len) & PAGE_MASK || len == 0)
		return -EINVAL;
	if (len > PMAP_USER_END - PMAP_USER_START)
		return -ENOMEM; /* more than the whole user space */
	mm_mutex_lock(&vs->lock);
	int err = 0;
	if (flags & VM_MAP_FIXED) {
		if (!map_range_ok(start, len))
			err = -ENOMEM; /* POSIX: beyond what the address space allows */
		else if (map_hits_heap_locked(vs, start, start + len))
			err = -EINVAL;
		else if (!vm_range_free_locked(vs, start, start + len, NULL))
			err = map_remove_locked(vs, start, start + len);
	} else if (!(map_range_ok(start, len) && vm_range_free_locked(vs, start, start + len, NULL) &&
		     !map_hits_heap_locked(vs, start, start + len))) {
		err = map_place_locked(vs, len, &start); /* the hint is taken only when free */
	}
	if (err == 0)
		err = map_insert_locked(vs, start, start + len, prot, flags);
	mm_mutex_unlock(&vs->lock);
	if (err == 0)
		*addr = start;
	return err;
}

int vm_unmap(struct vmspace *vs, vaddr_t start, vaddr_t len)
{
	if (!map_range_ok(start, len))
		return -EINVAL; /* POSIX munmap: outside the address space, or unaligned */
	mm_mutex_lock(&vs->lock);
	int err = map_hits_heap_locked(vs, start, start + len) ? -EINVAL
								 : map_remove_locked(vs, start, start + len);
	mm_mutex_unlock(&vs->lock);
	return err;
}

/* Make every table holding part of [start, end) that this space shares its own. 0 or -ENOMEM. */
static int map_own_tables_locked(struct vmspace *vs, vaddr_t start, vaddr_t end)
{
	for (vaddr_t b = start & ~(vaddr_t)(PMAP_TABLE_SPAN - 1); b < end; b += PMAP_TABLE_SPAN) {
		int err = vm_table_own_locked(vs, b);
		if (err)
			return err;
	}
	return 0;
}

/* Frames mprotect must charge [start, end) (split already) for becoming prot. */
static uint32_t map_protect_charge_locked(struct vmspace *vs, vaddr_t start, vaddr_t end,
					  vm_prot_t prot)
{
	uint32_t more = 0;
	for (uint32_t i = vm_region_index(vs, start); i < vs->nregions && vs->regions[i].start < end; i++) {
		struct vm_region r = vs->regions[i];
		if (vm_region_charged(&r))
			continue;
		r.prot = prot;
		if (vm_region_charged(&r))
			more += (uint32_t)((r.end - r.start) >> PAGE_SHIFT);
	}
	return more;
}

/* mprotect's work once [start, end) is covered, split, and clear of the heap. */
static int map_protect_locked(struct vmspace *vs, vaddr_t start, vaddr_t end, vm_prot_t prot)
{
	bool lowers = false;
	for (uint32_t i = vm_region_index(vs, start); i < vs->nregions && vs->regions[i].start < end; i++)
		lowers |= (vs->regions[i].prot & ~prot) != 0;
	/* Tables first, the only step that can fail but the charge: nothing else is changed yet. */
	int err = lowers ? map_own_tables_locked(vs, start, end) : 0;
	if (err == 0)
		err = vm_commit_charge(vs, map_protect_charge_locked(vs, start, end, prot));
	if (err)
		return err;
	for (uint32_t i = vm_region_index(vs, start); i < vs->nregions && vs->regions[i].start < end; i++) {
		struct vm_region *r = &vs->regions[i];
		vm_prot_t old = r->prot;
		if (vm_region_charged(r) || (prot & VM_PROT_WRITE))
			r->flags |= VM_REGION_ACCOUNT; /* charged once writable, whatever comes after */
		r->prot = prot;
		if (old & ~prot) /* only ever lowered here: raising is the next fault's decision */
			pmap_protect(&vs->pmap, r->start, r->end, prot);
	}
	return 0;
}

int vm_protect(struct vmspace *vs, vaddr_t start, vaddr_t len, vm_prot_t prot)
{
	if (!map_range_ok(start, len))
		return (start & PAGE_MASK) ? -EINVAL : -ENOMEM;
	vaddr_t end = start + len;
	mm_mutex_lock(&vs->lock);
	int err = map_covered_locked(vs, start, end);
	if (err == 0 && map_hits_heap_locked(vs, start, end))
		err = -EINVAL;
	if (err == 0)
		err = map_split_locked(vs, start);
	if (err == 0)
		err = map_split_locked(vs, end);
	if (err == 0)
		err = map_protect_locked(vs, start, end, prot);
	map_merge_locked(vs, start, end); /* also undoes a split left by a failure */
	mm_mutex_unlock(&vs->lock);
	return err;
}

/* Set or clear VM_REGION_LOCKED on the regions inside [start, end) (the heap never carries it). */
static void map_mark_locked(struct vmspace *vs, vaddr_t start, vaddr_t end, bool lock)
{
	for (uint32_t i = vm_region_index(vs, start); i < vs->nregions && vs->regions[i].start < end; i++) {
		struct vm_region *r = &vs->regions[i];
		if (r->flags & VM_REGION_HEAP || r->start < start || r->end > end)
			continue;
		if (lock)
			r->flags |= VM_REGION_LOCKED;
		else
			r->flags &= (uint8_t)~VM_REGION_LOCKED;
	}
}

int vm_lock(struct vmspace *vs, vaddr_t start, vaddr_t len, bool lock)
{
	if (!map_range_ok(start, len))
		return (start & PAGE_MASK) ? -EINVAL : -ENOMEM;
	vaddr_t end = start + len, done;
	mm_mutex_lock(&vs->lock);
	int err = map_covered_locked(vs, start, end);
	if (err == 0 && (map_split_locked(vs, start) || map_split_locked(vs, end)))
		err = -EAGAIN; /* POSIX: could not be locked now */
	if (err == 0) {
		map_mark_locked(vs, start, end, lock);
		if (lock && vm_populate_locked(vs, start, end, &done) != 0)
			err = -EAGAIN;
	}
	map_merge_locked(vs, start, end);
	mm_mutex_unlock(&vs->lock);
	return err;
}

int vm_lock_all(struct vmspace *vs, unsigned flags)
{
	mm_mutex_lock(&vs->lock);
	int err = 0;
	if (flags & VM_LOCK_CURRENT) {
		map_mark_locked(vs, PMAP_USER_START, PMAP_USER_END, true);
		/* Region by region: the array does not change while populating (no split, no merge). */
		for (uint32_t i = 0; i < vs->nregions && err == 0; i++) {
			vaddr_t done;
			if (vm_populate_locked(vs, vs->regions[i].start, vs->regions[i].end, &done) != 0)
				err = -EAGAIN;
		}
	}
	if (flags & VM_LOCK_FUTURE)
		vs->mflags |= VM_SPACE_LOCK_FUTURE;
	mm_mutex_unlock(&vs->lock);
	return err;
}

void vm_unlock_all(struct vmspace *vs)
{
	mm_mutex_lock(&vs->lock);
	vs->mflags &= ~VM_SPACE_LOCK_FUTURE;
	map_mark_locked(vs, PMAP_USER_START, PMAP_USER_END, false);
	map_merge_locked(vs, PMAP_USER_START, PMAP_USER_END);
	mm_mutex_unlock(&vs->lock);
}

int vm_dontneed(struct vmspace *vs, vaddr_t start, vaddr_t len)
{
	if (!map_range_ok(start, len))
		return (start & PAGE_MASK) ? -EINVAL : -ENOMEM;
	vaddr_t end = start + len;
	mm_mutex_lock(&vs->lock);
	int err = map_covered_locked(vs, start, end);
	for (uint32_t i = vm_region_index(vs, start);
	     err == 0 && i < vs->nregions && vs->regions[i].start < end; i++)
		if (vs->regions[i].flags & VM_REGION_LOCKED)
			err = -EINVAL; /* Linux: locked pages cannot be dropped */
	/* The regions stay as they are: only pages go, so the index i stays valid. */
	for (uint32_t i = vm_region_index(vs, start);
	     err == 0 && i < vs->nregions && vs->regions[i].start < end; i++) {
		const struct vm_region *r = &vs->regions[i];
		if (r->flags & VM_REGION_SHARED)
			continue; /* one set of frames for every holder: the content stays */
		err = vm_unmap_locked(vs, r->start > start ? r->start : start, r->end < end ? r->end : end);
	}
	mm_mutex_unlock(&vs->lock);
	return err;
}

int vm_range_mapped(struct vmspace *vs, vaddr_t start, vaddr_t len)
{
	if (!map_range_ok(start, len))
		return (start & PAGE_MASK) ? -EINVAL : -ENOMEM;
	mm_mutex_lock(&vs->lock);
	int err = map_covered_locked(vs, start, start + len);
	mm_mutex_unlock(&vs->lock);
	return err;
}
