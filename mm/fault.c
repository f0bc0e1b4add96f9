/*
 * fault.c - the one portable page-fault handler.
 *
 * The arch reports what the hardware saw; everything decided here depends
 * only on the regions and on the pmap's current state, which is re-read under
 * the address-space lock (as Linux's do_wp_page re-checks the PTE), so a
 * fault that another path already resolved is simply retried.
 */
#include <errno.h>

#include <mm/frame.h>
#include <mm/vm.h>

static struct vm_fault_stats stats;

void vm_fault_stats_get(struct vm_fault_stats *st)
{
	*st = stats;
}

/* Write to a frame only this space maps: make the PTE writable, no copy. */
static int fault_wp_reuse(struct vmspace *vs, const struct vm_region *r, vaddr_t va, paddr_t pa)
{
	int err = pmap_enter(&vs->pmap, va, pa, r->prot);
	if (err == 0)
		stats.cow_reuse++;
	return err;
}

/* Write to a shared frame: give this space its own copy, then drop the share. */
static int fault_wp_copy(struct vmspace *vs, const struct vm_region *r, vaddr_t va, paddr_t pa)
{
	paddr_t copy;
	int err = frame_alloc(&copy);
	if (err)
		return err; /* the sharers keep pa untouched; the caller kills this task */
	pmap_copy_page(pa, copy);
	err = pmap_enter(&vs->pmap, va, copy, r->prot);
	if (err) {
		frame_unref(copy);
		return err;
	}
	frame_unref(pa);
	stats.cow_copy++;
	return 0;
}

/* First touch of a page in a region: map a zeroed frame. */
static int fault_fill_zero(struct vmspace *vs, const struct vm_region *r, vaddr_t va)
{
	paddr_t pa;
	int err = frame_alloc_zeroed(&pa);
	if (err)
		return err;
	err = pmap_enter(&vs->pmap, va, pa, r->prot);
	if (err) {
		frame_unref(pa);
		return err;
	}
	stats.zero_fill++;
	return 0;
}

/* Resolve an access to va with the lock held; see vm_fault(). */
int vm_fault_resolve_locked(struct vmspace *vs, vaddr_t va, vm_prot_t access)
{
	const struct vm_region *r = vm_region_find(vs, va);
	if (!r)
		return -EFAULT;
	if ((r->prot & access) != access)
		return -EACCES;
	va = page_trunc(va);
	paddr_t pa;
	vm_prot_t prot;
	if (!pmap_extract(&vs->pmap, va, &pa, &prot))
		return fault_fill_zero(vs, r, va);
	if ((prot & access) == access) {
		stats.spurious++;
		return 0;
	}
	if (!(access & VM_PROT_WRITE))
		return -EACCES; /* the PTE allows less than the region: never made so */
	if (frame_refcount(pa) == 1)
		return fault_wp_reuse(vs, r, va, pa);
	return fault_wp_copy(vs, r, va, pa);
}

int vm_fault(struct vmspace *vs, const struct vm_fault_info *fi)
{
	if (fi->kind == VM_FAULT_ALIGN || fi->kind == VM_FAULT_OTHER) {
		stats.bad++;
		return -EINVAL;
	}
	mm_lock_acquire(&vs->lock);
	int err = vm_fault_resolve_locked(vs, fi->addr, fi->access);
	mm_lock_release(&vs->lock);
	if (err)
		stats.bad++;
	return err;
}
