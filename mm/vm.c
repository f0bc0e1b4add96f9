/*
 * vm.c - address spaces, their regions, fork-style clone and teardown.
 */
#include <mm/vm.h>

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <mm/frame.h>

/* Frames pmap_create() takes: one top-level table (the contract, mm/pmap.h). */
#define VM_CHARGE_TOP 1u

static struct {
	struct mm_lock lock;
	struct vmspace spaces[VM_SPACE_MAX];
	bool used[VM_SPACE_MAX];
} pool;

/* Take a free vmspace slot, zeroed, or NULL. */
static struct vmspace *vm_space_slot_get(void)
{
	struct vmspace *vs = NULL;
	mm_lock_acquire(&pool.lock);
	for (int i = 0; i < VM_SPACE_MAX; i++) {
		if (!pool.used[i]) {
			pool.used[i] = true;
			vs = &pool.spaces[i];
			break;
		}
	}
	mm_lock_release(&pool.lock);
	/*
	 * The region slots are empty already: they start zeroed and a space
	 * leaves them so (vm_space_release), so fork does not clear 768 bytes.
	 */
	if (vs)
		memset(vs, 0, offsetof(struct vmspace, regions));
	return vs;
}

/* Return a slot taken by vm_space_slot_get(). */
static void vm_space_slot_put(struct vmspace *vs)
{
	mm_lock_acquire(&pool.lock);
	pool.used[vs - pool.spaces] = false;
	mm_lock_release(&pool.lock);
}

int vm_commit_charge(struct vmspace *vs, uint32_t n)
{
	int err = frame_commit(n);
	if (err == 0)
		vs->charge += n;
	return err;
}

void vm_commit_release(struct vmspace *vs, uint32_t n)
{
	vs->charge -= n;
	frame_uncommit(n);
}

/*
 * The charge of a space with these regions (sorted, disjoint): its top-level
 * table, the pages of its charged regions (vm_region_charged), and one table per span any
 * region touches (regions sharing a span share its table). O(regions).
 */
static uint32_t vm_charge_of(const struct vm_region *regions, uint32_t n)
{
	uint32_t frames = VM_CHARGE_TOP, next_span = 0; /* spans below next_span are counted */
	for (uint32_t i = 0; i < n; i++) {
		const struct vm_region *r = &regions[i];
		if (r->end == r->start)
			continue; /* an empty heap touches nothing */
		if (vm_region_charged(r))
			frames += (uint32_t)((r->end - r->start) >> PAGE_SHIFT);
		uint32_t first = (uint32_t)(r->start / PMAP_TABLE_SPAN);
		uint32_t last = (uint32_t)((r->end - 1) / PMAP_TABLE_SPAN);
		if (first < next_span)
			first = next_span;
		if (first <= last) {
			frames += last - first + 1;
			next_span = last + 1;
		}
	}
	return frames;
}

uint32_t vm_charge_locked(const struct vmspace *vs)
{
	mm_mutex_assert_held(&vs->lock);
	return vm_charge_of(vs->regions, vs->nregions);
}

int vm_space_create(struct vmspace **out)
{
	struct vmspace *vs = vm_space_slot_get();
	if (!vs)
		return -ENOMEM;
	int err = vm_commit_charge(vs, VM_CHARGE_TOP);
	if (err == 0) {
		err = pmap_create(&vs->pmap);
		if (err)
			vm_commit_release(vs, vs->charge);
	}
	if (err) {
		vm_space_slot_put(vs);
		return err;
	}
	vs->refs = 1;
	vs->region_hint = &vs->regions[0];
	*out = vs;
	return 0;
}

/* refs changes under the pool's spinlock, so a holder may be added with interrupts off (ps). */
void vm_space_hold(struct vmspace *vs)
{
	mm_lock_acquire(&pool.lock);
	vs->refs++;
	mm_lock_release(&pool.lock);
}

void vm_space_release(struct vmspace *vs)
{
	mm_lock_acquire(&pool.lock);
	bool last = --vs->refs == 0;
	mm_lock_release(&pool.lock);
	if (!last)
		return;
	/* Every other holder's calls on vs have returned; the lock orders the teardown after them. */
	mm_mutex_lock(&vs->lock);
	uint32_t n = vs->nregions;
	vs->nregions = 0;
	mm_mutex_unlock(&vs->lock);
	/*
	 * Nobody else can reach vs now: its tables go one at a time, shared ones
	 * untouched, preemptible between 32-entry batches (each under the frame
	 * lock), since no other path can see the half-torn-down space.
	 */
	pmap_destroy(&vs->pmap);
	/*
	 * Only now are its frames back: a charge released before would let
	 * another space be promised frames this teardown still holds.
	 */
	vm_commit_release(vs, vs->charge);
	for (uint32_t i = 0; i < n; i++)
		vm_shm_drop(vs->regions[i].shm); /* the shared frames are let go too, as far as vs held them */
	/* Slots from nregions on are always empty: only the used ones need clearing for the next user. */
	memset(vs->regions, 0, n * sizeof(vs->regions[0]));
	vm_space_slot_put(vs);
}

/* Pages vm_space_usage() looks at per hold of the space's mutex: the owner's faults wait no longer. */
#define VM_USAGE_BATCH 256u
/*
 * Pages looked up per hold of usage_lock, with interrupts off: a space's
 * lone user faults without its mutex (vm_space_alone), so only keeping
 * that user off the CPU keeps a table it frees from being read mid-walk.
 * 16 lookups are a few hundred instructions.
 */
#define VM_USAGE_STEP 16u
static struct mm_lock usage_lock;

void vm_space_usage(struct vmspace *vs, uint32_t *resident, uint32_t *shared)
{
	uint32_t res = 0, sh = 0;
	vaddr_t va = 0;
	for (;;) {
		mm_mutex_lock(&vs->lock);
		mm_lock_acquire(&usage_lock);
		/* Regions may change between batches: resume at the first page at or above va. */
		uint32_t n = 0;
		uint32_t i = vm_region_index(vs, va);
		for (; i < vs->nregions && n < VM_USAGE_BATCH; i++) {
			const struct vm_region *r = &vs->regions[i];
			if (va < r->start)
				va = r->start;
			for (; va < r->end && n < VM_USAGE_BATCH; va += PAGE_SIZE, n++) {
				if (n && n % VM_USAGE_STEP == 0) {
					mm_lock_release(&usage_lock); /* a preemption point */
					mm_lock_acquire(&usage_lock);
				}
				struct pmap_entry e;
				if (!pmap_lookup(&vs->pmap, va, &e))
					continue;
				res++;
				if (e.shared || frame_refcount(e.pa) > 1)
					sh++;
			}
			if (va < r->end)
				break;
		}
		bool done = i >= vs->nregions;
		mm_lock_release(&usage_lock);
		mm_mutex_unlock(&vs->lock);
		if (done)
			break;
	}
	*resident = res;
	*shared = sh;
}

uint32_t vm_region_index(const struct vmspace *vs, vaddr_t va)
{
	/* Ends ascend with starts: the regions are sorted and disjoint (an empty heap included). */
	uint32_t lo = 0, hi = vs->nregions;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (vs->regions[mid].end <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool vm_range_free_locked(const struct vmspace *vs, vaddr_t start, vaddr_t end,
			  const struct vm_region *skip)
{
	mm_mutex_assert_held(&vs->lock);
	/* Regions before the first ending above start end too low, those from end on start too high. */
	for (uint32_t i = vm_region_index(vs, start); i < vs->nregions; i++) {
		const struct vm_region *r = &vs->regions[i];
		if (r->start >= end)
			break;
		if (r != skip && start < r->end)
			return false;
	}
	return true;
}

uint32_t vm_region_insert_locked(struct vmspace *vs, vaddr_t start, vaddr_t end, vm_prot_t prot,
				 unsigned flags)
{
	mm_mutex_assert_held(&vs->lock);
	uint32_t i = vs->nregions++;
	while (i > 0 && vs->regions[i - 1].start > start) {
		vs->regions[i] = vs->regions[i - 1];
		i--;
	}
	vs->regions[i] = (struct vm_region){ start, end, prot, (uint8_t)flags, 0 };
	if (flags & VM_REGION_HEAP) {
		vs->heap_start = start;
		vs->mflags |= VM_SPACE_HAS_HEAP;
	}
	return i;
}

/*
 * Take region i, which maps nothing, out of vs's array again. The slot it
 * leaves at the end is emptied: the lookup hint may point there, and an
 * empty range holds no address.
 */
void vm_region_delete_locked(struct vmspace *vs, uint32_t i)
{
	mm_mutex_assert_held(&vs->lock);
	if (vs->regions[i].flags & VM_REGION_HEAP)
		vs->mflags &= ~VM_SPACE_HAS_HEAP;
	for (vs->nregions--; i < vs->nregions; i++)
		vs->regions[i] = vs->regions[i + 1];
	vs->regions[vs->nregions] = (struct vm_region){ 0 };
}

/*
 * Unmap [start, end) of vs, which is leaving its region (the region may still
 * list it: only the spans outside the range are looked at). A table
 * only partly inside the range is let go whole when the rest of its span
 * holds no region (nothing else can be mapped there); otherwise it becomes
 * this space's own first, so the other sharers keep their mappings. 0 or
 * -ENOMEM with nothing removed.
 */
int vm_unmap_locked(struct vmspace *vs, vaddr_t start, vaddr_t end)
{
	mm_mutex_assert_held(&vs->lock);
	vaddr_t lo = start & ~(vaddr_t)(PMAP_TABLE_SPAN - 1);
	vaddr_t hi = (end + PMAP_TABLE_SPAN - 1) & ~(vaddr_t)(PMAP_TABLE_SPAN - 1);
	if (lo < start && vm_range_free_locked(vs, lo, start, NULL))
		start = lo;
	if (hi > end && vm_range_free_locked(vs, end, hi, NULL))
		end = hi;
	vaddr_t ends[2] = { start, end - 1 };
	for (int k = 0; k < 2; k++) {
		vaddr_t base = ends[k] & ~(vaddr_t)(PMAP_TABLE_SPAN - 1);
		if ((start > base || base + PMAP_TABLE_SPAN > end) && vm_table_own_locked(vs, base) != 0)
			return -ENOMEM;
	}
	pmap_remove(&vs->pmap, start, end);
	return 0;
}

/*
 * Map every page of [start, end), a read-only region, now: its frames are
 * uncharged (vm_fault's fill), so no fault is left to need one later. 0 or
 * -ENOMEM, with *filled the end of what was mapped either way.
 */
static int vm_region_fill_locked(struct vmspace *vs, vaddr_t start, vaddr_t end, vaddr_t *filled)
{
	mm_mutex_assert_held(&vs->lock);
	/* Preemptible page by page: the mutex keeps the space's other threads out. */
	for (*filled = start; *filled < end; *filled += PAGE_SIZE) {
		/* No access asked for: only the page's presence, whatever the region allows. */
		int err = vm_fault_resolve_locked(vs, *filled, VM_PROT_NONE);
		if (err)
			return err;
	}
	return 0;
}

/* Take back a region vm_region_add() could not complete: its pages up to filled, the slot, the charge. */
void vm_region_undo_locked(struct vmspace *vs, uint32_t i, vaddr_t filled)
{
	mm_mutex_assert_held(&vs->lock);
	vaddr_t start = vs->regions[i].start;
	uint16_t shm = vs->regions[i].shm;
	/* The tables the fill mapped into are this space's own already: no split, no failure. */
	if (filled > start && vm_unmap_locked(vs, start, filled) != 0)
		mm_panic("vm: a table the region fill mapped into is shared");
	vm_region_delete_locked(vs, i);
	vm_shm_drop(shm);
	vm_commit_release(vs, vs->charge - vm_charge_locked(vs));
}

int vm_region_add(struct vmspace *vs, vaddr_t start, vaddr_t len, vm_prot_t prot, unsigned flags)
{
	vaddr_t end = start + len;
	bool empty_ok = flags & VM_REGION_HEAP; /* a heap starts empty and grows */
	if ((start | len) & PAGE_MASK || (len == 0 && !empty_ok) || end < start || end > PMAP_USER_END ||
	    start < PMAP_USER_START)
		return -EINVAL;
	mm_mutex_lock(&vs->lock);
	int err = 0;
	if (!vm_range_free_locked(vs, start, end, NULL)) {
		err = -EINVAL;
	} else if (vs->nregions == VM_REGION_MAX) {
		err = -ENOMEM;
	} else {
		uint32_t i = vm_region_insert_locked(vs, start, end, prot, flags);
		/* Committed before anything can fault in the region. */
		err = vm_commit_charge(vs, vm_charge_locked(vs) - vs->charge);
		vaddr_t filled = start;
		if (err == 0 && !(prot & VM_PROT_WRITE))
			err = vm_region_fill_locked(vs, start, end, &filled);
		if (err)
			vm_region_undo_locked(vs, i, filled);
	}
	mm_mutex_unlock(&vs->lock);
	return err;
}

const struct vm_region *vm_region_find_locked(struct vmspace *vs, vaddr_t va)
{
	mm_mutex_assert_held(&vs->lock);
	return vm_region_find(vs, va);
}

const struct vm_region *vm_region_find_slow(struct vmspace *vs, vaddr_t va)
{
	const struct vm_region *r;
	uint32_t i = vm_region_index(vs, va);
	if (i == vs->nregions || va < vs->regions[i].start)
		return NULL;
	r = &vs->regions[i];
	vs->region_hint = r;
	return r;
}

int vm_space_clone(struct vmspace *parent, struct vmspace **out)
{
	struct vmspace *child;
	int err = vm_space_create(&child);
	if (err)
		return err;
	mm_mutex_lock(&parent->lock);
	vm_space_clone_regions_locked(child, parent);
	/* Either side may come to copy every page: the child is charged what the parent is. */
	err = vm_commit_charge(child, parent->charge - child->charge);
	/*
	 * The child shares the parent's page tables, a table at a time: no frame
	 * count moves and no page is visited. The first fault in a table on
	 * either side gives that side its own copy (vm_fault). Preemptible
	 * between tables: the parent's mutex keeps its threads out, nobody else
	 * knows the child yet, and a kill only takes effect on the way out.
	 */
	for (uint32_t i = 0; i < parent->nregions && !err; i++)
		err = pmap_share(&child->pmap, &parent->pmap, parent->regions[i].start,
				 parent->regions[i].end);
	mm_mutex_unlock(&parent->lock);
	if (err) {
		/* Dropping the child's table references restores every count. */
		vm_space_release(child);
		return err;
	}
	*out = child;
	return 0;
}

struct vm_region *vm_heap_locked(struct vmspace *vs)
{
	mm_mutex_assert_held(&vs->lock);
	if (!(vs->mflags & VM_SPACE_HAS_HEAP))
		return NULL;
	/* An empty heap ends where it starts: the search lands on it or on the region after. */
	uint32_t i = vm_region_index(vs, vs->heap_start);
	if (i > 0 && (vs->regions[i - 1].flags & VM_REGION_HEAP))
		return &vs->regions[i - 1];
	for (; i < vs->nregions && vs->regions[i].start == vs->heap_start; i++)
		if (vs->regions[i].flags & VM_REGION_HEAP)
			return &vs->regions[i];
	mm_panic("vm: the heap region is lost");
}

static int vm_brk_shrink_locked(struct vmspace *vs, struct vm_region *heap, vaddr_t want);

/* Grow the heap to want (above its end): room first, then the charge, before a fault can use it. */
static int vm_brk_grow_locked(struct vmspace *vs, struct vm_region *heap, vaddr_t want)
{
	mm_mutex_assert_held(&vs->lock);
	if (!vm_range_free_locked(vs, heap->end, want, heap))
		return -ENOMEM;
	vaddr_t old = heap->end;
	heap->end = want;
	int err = vm_commit_charge(vs, vm_charge_locked(vs) - vs->charge);
	if (err) {
		heap->end = old;
		return err;
	}
	vaddr_t done;
	/* mlockall(MCL_FUTURE): the growth is present before brk returns. */
	if ((vs->mflags & VM_SPACE_LOCK_FUTURE) && vm_populate_locked(vs, old, want, &done) != 0) {
		/*
		 * Take back only what was mapped, [old, done): each of those
		 * faults made its table this space's own, so no table is left
		 * to split and nothing can fail. The rest of the growth maps
		 * nothing, but may lie in a table still shared (the first one,
		 * when its copy was what ran out), which unmapping it whole
		 * would have had to split first.
		 */
		if (done > old && vm_unmap_locked(vs, old, done) != 0)
			mm_panic("vm: a heap table populated just now is shared");
		heap->end = old;
		vm_commit_release(vs, vs->charge - vm_charge_locked(vs));
		return -ENOMEM;
	}
	return 0;
}

/* Shrink the heap to want (below its end); the charge goes back once the frames have. */
static int vm_brk_shrink_locked(struct vmspace *vs, struct vm_region *heap, vaddr_t want)
{
	mm_mutex_assert_held(&vs->lock);
	if (vm_unmap_locked(vs, want, heap->end) != 0)
		return -ENOMEM; /* a shared table could not be split: nothing changed */
	heap->end = want;
	vm_commit_release(vs, vs->charge - vm_charge_locked(vs));
	return 0;
}

int vm_brk(struct vmspace *vs, vaddr_t new_end, vaddr_t *end)
{
	mm_mutex_lock(&vs->lock);
	struct vm_region *heap = vm_heap_locked(vs);
	int err = 0;
	if (!heap) {
		err = -EINVAL;
	} else if (new_end != 0) {
		vaddr_t want = page_round(new_end);
		if (want < heap->start || want > PMAP_USER_END || want < new_end)
			err = -ENOMEM;
		else if (want > heap->end)
			err = vm_brk_grow_locked(vs, heap, want);
		else if (want < heap->end)
			err = vm_brk_shrink_locked(vs, heap, want);
	}
	if (heap)
		*end = heap->end;
	mm_mutex_unlock(&vs->lock);
	return err;
}
