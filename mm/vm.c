/*
 * vm.c - address spaces, their regions, fork-style clone and teardown.
 */
#include <mm/vm.h>

#include <errno.h>
#include <string.h>

#include <mm/frame.h>

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
	if (vs)
		memset(vs, 0, sizeof(*vs));
	return vs;
}

/* Return a slot taken by vm_space_slot_get(). */
static void vm_space_slot_put(struct vmspace *vs)
{
	mm_lock_acquire(&pool.lock);
	pool.used[vs - pool.spaces] = false;
	mm_lock_release(&pool.lock);
}

int vm_space_create(struct vmspace **out)
{
	struct vmspace *vs = vm_space_slot_get();
	if (!vs)
		return -ENOMEM;
	int err = pmap_create(&vs->pmap);
	if (err) {
		vm_space_slot_put(vs);
		return err;
	}
	vs->refs = 1;
	*out = vs;
	return 0;
}

void vm_space_hold(struct vmspace *vs)
{
	mm_mutex_lock(&vs->lock);
	vs->refs++;
	mm_mutex_unlock(&vs->lock);
}

void vm_space_release(struct vmspace *vs)
{
	mm_mutex_lock(&vs->lock);
	if (--vs->refs > 0) {
		mm_mutex_unlock(&vs->lock);
		return;
	}
	vs->nregions = 0;
	mm_mutex_unlock(&vs->lock);
	/*
	 * Nobody else can reach vs now: its tables go one at a time, shared ones
	 * untouched, preemptible between 64-entry chunks (each under the frame
	 * lock), since no other path can see the half-torn-down space.
	 */
	pmap_destroy(&vs->pmap);
	vm_space_slot_put(vs);
}

/* True when [start, end) overlaps no region of vs other than skip. */
static bool vm_range_free_locked(const struct vmspace *vs, vaddr_t start, vaddr_t end,
				 const struct vm_region *skip)
{
	mm_mutex_assert_held(&vs->lock);
	for (uint32_t i = 0; i < vs->nregions; i++) {
		const struct vm_region *r = &vs->regions[i];
		if (r != skip && start < r->end && r->start < end)
			return false;
	}
	return true;
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
		uint32_t i = vs->nregions++;
		while (i > 0 && vs->regions[i - 1].start > start) {
			vs->regions[i] = vs->regions[i - 1];
			i--;
		}
		vs->regions[i] = (struct vm_region){ start, end, prot, (uint8_t)flags };
	}
	mm_mutex_unlock(&vs->lock);
	return err;
}

const struct vm_region *vm_region_find_locked(struct vmspace *vs, vaddr_t va)
{
	mm_mutex_assert_held(&vs->lock);
	/* Faults come in runs over one region: try the last one found first. */
	const struct vm_region *r = &vs->regions[vs->region_hint];
	if (vs->region_hint < vs->nregions && va >= r->start && va < r->end)
		return r;
	for (uint32_t i = 0; i < vs->nregions; i++) {
		r = &vs->regions[i];
		if (va >= r->start && va < r->end) {
			vs->region_hint = i;
			return r;
		}
	}
	return NULL;
}

int vm_space_clone(struct vmspace *parent, struct vmspace **out)
{
	struct vmspace *child;
	int err = vm_space_create(&child);
	if (err)
		return err;
	mm_mutex_lock(&parent->lock);
	child->nregions = parent->nregions;
	memcpy(child->regions, parent->regions, sizeof(parent->regions));
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

/*
 * Unmap [start, end) of vs, which is leaving its region (the region may still
 * list it: only the spans outside the range are looked at). A table
 * only partly inside the range is let go whole when the rest of its span
 * holds no region (nothing else can be mapped there); otherwise it becomes
 * this space's own first, so the other sharers keep their mappings. 0 or
 * -ENOMEM with nothing removed.
 */
static int vm_unmap_locked(struct vmspace *vs, vaddr_t start, vaddr_t end)
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
		bool split;
		if ((start > base || base + PMAP_TABLE_SPAN > end) &&
		    vm_table_own_locked(vs, base, &split) != 0)
			return -ENOMEM;
	}
	pmap_remove(&vs->pmap, start, end);
	return 0;
}

/* The heap region of vs, or NULL. */
static struct vm_region *vm_heap_locked(struct vmspace *vs)
{
	mm_mutex_assert_held(&vs->lock);
	for (uint32_t i = 0; i < vs->nregions; i++)
		if (vs->regions[i].flags & VM_REGION_HEAP)
			return &vs->regions[i];
	return NULL;
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
		if (want < heap->start || want > PMAP_USER_END || want < new_end) {
			err = -ENOMEM;
		} else if (want > heap->end && !vm_range_free_locked(vs, heap->end, want, heap)) {
			err = -ENOMEM;
		} else {
			if (want < heap->end && vm_unmap_locked(vs, want, heap->end) != 0)
				err = -ENOMEM; /* a shared table could not be split: nothing changed */
			else
				heap->end = want;
		}
	}
	if (heap)
		*end = heap->end;
	mm_mutex_unlock(&vs->lock);
	return err;
}
