/*
 * vm.h - address spaces: regions over an arch pmap, fork-style COW clone,
 * the portable fault handler and copies between kernel and user memory.
 *
 * The region, never a spare PTE bit, says whether a write is allowed: a write
 * to a read-only PTE inside a writable region is copy-on-write, anywhere else
 * it is a bad access.
 */
#ifndef CALF_MM_VM_H
#define CALF_MM_VM_H

#include <mm/pmap.h>

#ifndef VM_SPACE_MAX
#define VM_SPACE_MAX 64 /* address spaces alive at once */
#endif
/*
 * Regions per address space: POSIX mmap's "implementation-defined limit" on
 * mapped regions (ENOMEM past it). Every space of the pool has the room
 * preallocated: 64 regions of 12 bytes are 768 bytes a space, 48 KiB for
 * the VM_SPACE_MAX spaces.
 */
#define VM_REGION_MAX 64

/* Region flags. */
#define VM_REGION_HEAP 0x01u      /* grown and shrunk by vm_brk() */
#define VM_REGION_SHARED 0x02u    /* MAP_SHARED: one set of frames for every space (never COW) */
#define VM_REGION_NORESERVE 0x04u /* MAP_NORESERVE (overcommit mode only): not charged */
#define VM_REGION_ACCOUNT 0x08u   /* charged whatever its prot (mmap'd, or once writable) */
#define VM_REGION_LOCKED 0x10u    /* mlock: every page present and writable as allowed */

struct vm_region {
	vaddr_t start;
	vaddr_t end; /* exclusive, page aligned */
	vm_prot_t prot;
	uint8_t flags;
	uint16_t shm; /* VM_REGION_SHARED: its frames' charge record (vm_shm_*), index + 1 */
};

/* Space flags (struct vmspace's mflags). */
#define VM_SPACE_LOCK_FUTURE 0x1u /* mlockall(MCL_FUTURE): new memory is populated and locked */
#define VM_SPACE_HAS_HEAP 0x2u    /* heap_start is valid */

struct vmspace {
	struct mm_mutex lock; /* sleeping, priority-inheriting: see mm/pmap.h */
	struct pmap pmap;
	uint32_t refs; /* holders: its tasks, and ps while it looks (vm_space_alone) */
	uint32_t charge; /* frames committed to it (see "Commit accounting" below) */
	uint32_t nregions;
	uint32_t faults;  /* vm_fault() calls on this space: page faults its tasks took */
	uint32_t mflags;  /* VM_SPACE_* */
	vaddr_t heap_start; /* where the heap region starts, when mflags has VM_SPACE_HAS_HEAP */
	/* The region the last lookup found; a slot of regions, maybe empty, never stale. */
	const struct vm_region *region_hint;
	/* Sorted by start; the slots from nregions on are empty ranges (start == end). */
	struct vm_region regions[VM_REGION_MAX];
};

/* What the arch saw; filled from DFSR/IFSR/DFAR/IFAR or CR2 and #PF code. */
enum vm_fault_kind {
	VM_FAULT_UNMAPPED, /* no valid entry for the address */
	VM_FAULT_PROT,     /* an entry that allows less than the access */
	VM_FAULT_TABLE,    /* the whole table refused (armv7: a shared table's domain) */
	VM_FAULT_ALIGN,
	VM_FAULT_OTHER,
};

struct vm_fault_info {
	vaddr_t addr;     /* faulting data or instruction address */
	uintptr_t pc;
	vm_prot_t access; /* READ, WRITE or EXEC */
	uint8_t kind;     /* enum vm_fault_kind */
	bool user;        /* taken from PL0 / CPL3 */
	uint32_t raw;     /* DFSR/IFSR or #PF error code, for reports only */
};

/* Counters of what vm_fault() did, for tests and benchmarks. */
struct vm_fault_stats {
	uint32_t cow_copy;   /* write to a shared frame: copied */
	uint32_t cow_reuse;  /* write to a frame only this space maps: made writable */
	uint32_t zero_fill;  /* first touch of an unmapped page in a region */
	uint32_t spurious;   /* already resolved (TLB race): nothing to do */
	uint32_t table_copy;  /* first fault in a shared table: this space got a copy */
	uint32_t table_reuse; /* first fault in a table the others had left: taken back */
	uint32_t bad;        /* refused: the task gets a signal */
};

/*
 * Commit accounting. A space is charged for every frame it could come to
 * hold at once: one for its top-level table, one per page of its writable
 * regions, and one page table per PMAP_TABLE_SPAN its regions touch. Its
 * read-only regions are mapped whole when added, with uncharged frames
 * (frame_alloc_uncharged), never copied, and never grow. The charge is
 * committed (frame_commit) before the space can need it: at creation, when
 * a region is added, at fork (the child is charged what the parent is) and
 * when brk grows; it is released after the frames are let go: brk
 * shrinking, the last user leaving. In strict mode a charge that does not
 * fit is refused with -ENOMEM, so no fault can then fail for want of a
 * frame; in overcommit mode it is counted only (docs/design.md).
 */

/* Make an empty address space with refs = 1, charged one frame. Returns 0 or -ENOMEM. */
int vm_space_create(struct vmspace **out);

/* Add a user of vs (a thread created with CLONE_VM, or ps looking at it); any context. */
void vm_space_hold(struct vmspace *vs);

/*
 * True when vs has a single holder, asked by the task using it. Only the
 * tasks using a space change it (the kernel reaches a space through
 * current's, or builds one no task runs in yet); any other holder either
 * uses it too (a CLONE_VM thread, which only a user can create) or only
 * reads it (ps: vm_space_usage). So a task that finds itself the only
 * holder has nobody to keep out of its changes, and its faults skip
 * vs->lock (vm_fault), preemptible all the same: a thread can join only
 * through it, and a reader that takes hold meanwhile may see that fault in
 * flight, which can only skew what it counts.
 */
static inline bool vm_space_alone(const struct vmspace *vs)
{
	/* Acquire: a user that left made its last change before dropping refs (vm_space_release). */
	return __atomic_load_n(&vs->refs, __ATOMIC_ACQUIRE) == 1;
}

/* Drop a user; the last one unmaps everything and frees every frame it held. */
void vm_space_release(struct vmspace *vs);

/*
 * Count the pages mapped in vs (*resident) and those of them it shares
 * (*shared): pages it cannot write without a copy-on-write fault, because
 * their frame has another holder or their table is still marked shared
 * since fork (a table the others have left stays marked until this space's
 * next fault in it takes it back). The caller holds vs. The space's mutex is held
 * a batch of pages at a time, so a count of a big space never makes its
 * owner's faults wait long; figures from a space changing meanwhile are a
 * snapshot of no single instant (a lone user's fault in flight when the hold
 * began is not kept out: vm_space_alone).
 */
void vm_space_usage(struct vmspace *vs, uint32_t *resident, uint32_t *shared);

/*
 * Add the region [start, start + len) with prot and flags (only a heap may
 * start empty), committing what it adds to the charge. A read-only region
 * is mapped at once with zeroed uncharged frames (the loader then fills
 * them), so no fault in it ever needs a frame. Returns 0, -EINVAL
 * (unaligned, empty, overlapping or outside user space) or -ENOMEM (no
 * region slot, no frame, or the charge refused), with nothing changed.
 */
int vm_region_add(struct vmspace *vs, vaddr_t start, vaddr_t len, vm_prot_t prot, unsigned flags);

/*
 * The region holding va, or NULL. The caller has vs to itself: vs->lock
 * held (the _locked form checks it), or as its only user (vm_space_alone).
 */
const struct vm_region *vm_region_find_locked(struct vmspace *vs, vaddr_t va);
/* vm_region_find() past its hint: the binary search (vm_region_index), which moves the hint. */
const struct vm_region *vm_region_find_slow(struct vmspace *vs, vaddr_t va);

static inline const struct vm_region *vm_region_find(struct vmspace *vs, vaddr_t va)
{
	/*
	 * Faults come in runs over one region: try the last one found first,
	 * inline on the fault path. The hint needs no bounds check: every slot
	 * is a live region or empty.
	 */
	const struct vm_region *r = vs->region_hint;
	if (va >= r->start && va < r->end)
		return r;
	return vm_region_find_slow(vs, va);
}

/*
 * Copy parent for fork: the child gets the same regions and shares the
 * parent's page tables (pmap_share), so both see every page read-only until
 * a fault gives the faulting side its own table and the COW rules take over.
 * The cost is per table, not per page. The child is charged what the parent
 * is. Returns 0, or -ENOMEM (no slot, frame or commit) / -EOVERFLOW with
 * every count as before.
 */
int vm_space_clone(struct vmspace *parent, struct vmspace **child);

/*
 * Resolve a fault in vs, a space the current task uses: break COW (copy, or
 * reuse when the count is 1) or zero-fill on demand, under vs->lock, or
 * without it when the task is vs's only user (vm_space_alone). Returns 0
 * when the access can be retried, -EFAULT
 * when no region holds the address, -EACCES when the region forbids the
 * access, -EINVAL for alignment and other faults, -ENOMEM when no frame is
 * left (the faulting task dies; the sharer keeps its frame untouched):
 * never in strict commit mode, where every frame a fault takes was promised.
 */
int vm_fault(struct vmspace *vs, const struct vm_fault_info *fi);

/*
 * Move the end of the heap region to new_end (page rounded); frames above a
 * lowered end are freed. Growth is committed first, a shrink released after
 * its frames. new_end == 0 only reports. *end gets the current end. Returns
 * 0, -EINVAL (no heap) or -ENOMEM (would hit another region, the growth's
 * charge was refused, or a shared table could not be split to shrink).
 */
int vm_brk(struct vmspace *vs, vaddr_t new_end, vaddr_t *end);

/*
 * Copy len bytes from kernel src to user dst. Breaks COW and fills pages
 * first, as a user write would (Linux 0.11's verify_area). Returns 0 or
 * -EFAULT when a byte lies outside a writable region, or -ENOMEM.
 */
int vm_copyout(struct vmspace *vs, vaddr_t dst, const void *src, size_t len);

/* Copy len bytes from user src to kernel dst. Returns 0 or -EFAULT. */
int vm_copyin(struct vmspace *vs, void *dst, vaddr_t src, size_t len);

/*
 * Compare-and-swap the aligned 32-bit user word at va: if it holds old,
 * store new; *seen gets the value it held (the store happened iff *seen ==
 * old). The page is faulted in and made writable first, as a user store
 * would (COW broken). Atomic against user code's own compare-and-swap.
 * Returns 0, -EFAULT (unaligned, not user, not in a writable region) or
 * -ENOMEM (no frame for the page).
 */
int vm_cmpxchg32(struct vmspace *vs, vaddr_t va, uint32_t old, uint32_t new, uint32_t *seen);

/* Like vm_copyout, but ignores the region's write permission: the loader. */
int vm_load(struct vmspace *vs, vaddr_t dst, const void *src, size_t len);

/*
 * The loader wrote [start, end) of vs (page aligned) through the kernel's
 * mapping, and vs will execute it: pmap_sync_icache() on every page mapped
 * there (a page not mapped yet is synced when a fault fills it). Returns 0
 * or -EINVAL for a range outside user space.
 */
int vm_sync_icache(struct vmspace *vs, vaddr_t start, vaddr_t end);

/*
 * Make the table holding va this space's own (pmap_unshare) if it is shared,
 * counting the copy or take-back. Before anything in a table changes. 0 or
 * pmap_unshare()'s error. For mm/ only.
 */
int vm_table_own_locked(struct vmspace *vs, vaddr_t va);

/* vm_fault() for one address and access, vs->lock held. For mm/ only. */
int vm_fault_resolve_locked(struct vmspace *vs, vaddr_t va, vm_prot_t access);

/* Snapshot of the fault counters. */
void vm_fault_stats_get(struct vm_fault_stats *st);

/* Page faults the tasks of vs have taken (vm_fault calls): mlock's proof for a test. */
static inline uint32_t vm_space_faults(const struct vmspace *vs)
{
	return __atomic_load_n(&vs->faults, __ATOMIC_RELAXED);
}

/*
 * Memory maps (mm/mmap.c): anonymous memory only. Every range is page
 * aligned (the caller rounds lengths) and non-empty; addresses are checked
 * against user space here. The heap belongs to vm_brk(): a range that
 * touches it is refused with -EINVAL by vm_map(MAP_FIXED), vm_unmap and
 * vm_protect (it is never split); mlock and DONTNEED reach into it.
 *
 * Shared anonymous memory: its frames are all allocated and mapped when the
 * mapping is made, and stay mapped until unmapped, so every page exists
 * before any fork and a fault in a shared region never copies: it only
 * gives the page back the permissions the region allows (the frame is the
 * same in every space). Their charge is one record (vm_shm_*) for all the
 * spaces holding the mapping, not one per fork, released when the last
 * region using it goes.
 */
#define VM_MAP_SHARED 0x1u    /* else private (copy-on-write across fork) */
#define VM_MAP_FIXED 0x2u     /* exactly at *addr, replacing what was there */
#define VM_MAP_NORESERVE 0x4u /* no charge (ignored under strict commit, as Linux's mode 2 does) */
#define VM_MAP_POPULATE 0x8u  /* every page present when the call returns */

#define VM_LOCK_CURRENT 0x1u /* mlockall: MCL_CURRENT */
#define VM_LOCK_FUTURE 0x2u  /* mlockall: MCL_FUTURE */

/*
 * Map len bytes of zeroed memory with prot: at *addr with VM_MAP_FIXED
 * (what was there is unmapped first), else at *addr if that range is free
 * and clear of the heap, else in the highest gap below the regions above
 * the heap that leaves one unmapped guard page above the new mapping.
 * *addr gets where. Returns 0, -EINVAL (unaligned; FIXED over the heap),
 * -ENOMEM (outside user space, no gap, VM_REGION_MAX reached, the charge
 * refused or no frame for a populated map; a FIXED map's old pages are gone
 * then, as on Linux).
 */
int vm_map(struct vmspace *vs, vaddr_t *addr, vaddr_t len, vm_prot_t prot, unsigned flags);

/* Unmap [start, start + len), splitting regions at its ends. 0, -EINVAL (the heap, unaligned) or -ENOMEM. */
int vm_unmap(struct vmspace *vs, vaddr_t start, vaddr_t len);

/*
 * Give [start, start + len) the protection prot, splitting regions at its
 * ends. Page permissions are only ever lowered here (tables shared since
 * fork are made this space's own first); raising is left to the next
 * fault, which copies or reuses by the frame's count as a COW fault does,
 * so a page made read-only and back never becomes writable while another
 * space maps its frame. Making a private region writable charges it (and it
 * stays charged). 0, -EINVAL, -ENOMEM (a hole in the range, no region slot,
 * the charge refused, no frame to split a shared table).
 */
int vm_protect(struct vmspace *vs, vaddr_t start, vaddr_t len, vm_prot_t prot);

/*
 * mlock (lock) or munlock [start, start + len): locking makes every page
 * present, private writable pages this space's own (COW broken) and
 * writable, so no access faults afterwards (until a fork shares them again).
 * 0, -ENOMEM (a hole), -EAGAIN (no frame or region slot to lock with).
 */
int vm_lock(struct vmspace *vs, vaddr_t start, vaddr_t len, bool lock);

/* mlockall(flags: VM_LOCK_*): CURRENT locks every region now; FUTURE every later map and brk growth. */
int vm_lock_all(struct vmspace *vs, unsigned flags);

/* munlockall: every region unlocked, FUTURE cleared. */
void vm_unlock_all(struct vmspace *vs);

/*
 * madvise(MADV_DONTNEED): drop the pages of the private regions in the range
 * (the next touch reads zeroes); shared pages keep their content. 0,
 * -ENOMEM (a hole), -EINVAL (a locked region).
 */
int vm_dontneed(struct vmspace *vs, vaddr_t start, vaddr_t len);

/* msync's check: 0 when every page of the range is in a region, else -ENOMEM. */
int vm_range_mapped(struct vmspace *vs, vaddr_t start, vaddr_t len);

/* True when the pages of r are charged to its space (mm/ only). */
static inline bool vm_region_charged(const struct vm_region *r)
{
	return !(r->flags & (VM_REGION_SHARED | VM_REGION_NORESERVE)) &&
	       ((r->prot & VM_PROT_WRITE) || (r->flags & VM_REGION_ACCOUNT));
}

/* True when a frame for a page of r is covered by a charge (its space's or its shm record's). */
static inline bool vm_region_frames_charged(const struct vm_region *r)
{
	return (r->flags & VM_REGION_SHARED) || vm_region_charged(r);
}

/*
 * For mm/ only: the region index and the charge, used by vm.c and mmap.c.
 * vm_region_index: index of the first region ending above va (nregions when
 * none), by binary search over the sorted, disjoint regions.
 */
uint32_t vm_region_index(const struct vmspace *vs, vaddr_t va);
bool vm_range_free_locked(const struct vmspace *vs, vaddr_t start, vaddr_t end,
			  const struct vm_region *skip);
uint32_t vm_region_insert_locked(struct vmspace *vs, vaddr_t start, vaddr_t end, vm_prot_t prot,
				 unsigned flags);
void vm_region_delete_locked(struct vmspace *vs, uint32_t i);
/* The heap region of vs, or NULL: found by its start (heap_start), O(log n). */
struct vm_region *vm_heap_locked(struct vmspace *vs);
void vm_region_undo_locked(struct vmspace *vs, uint32_t i, vaddr_t filled);
int vm_unmap_locked(struct vmspace *vs, vaddr_t start, vaddr_t end);
int vm_commit_charge(struct vmspace *vs, uint32_t n);
void vm_commit_release(struct vmspace *vs, uint32_t n);
uint32_t vm_charge_locked(const struct vmspace *vs);
/* Make every page of [start, end) present as mlock does; *done: how far it got. 0 or -ENOMEM. */
int vm_populate_locked(struct vmspace *vs, vaddr_t start, vaddr_t end, vaddr_t *done);
/* Fork: copy parent's regions into the empty child, holding their shm records, locks dropped. */
void vm_space_clone_regions_locked(struct vmspace *child, struct vmspace *parent);
/* Drop a region's hold on shm record id (0: none); the last one releases its charge. */
void vm_shm_drop(uint16_t id);

#endif
