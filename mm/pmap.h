/*
 * pmap.h - the contract between the portable mm core and each architecture.
 *
 * Declarations only. Every arch (and the host tests' software page table)
 * implements these functions and supplies <pmap_md.h>, which defines
 * paddr_t (with its printf conversion PRIxPADDR), struct pmap and struct
 * mm_lock. mm/ reaches the hardware through nothing
 * else. Names follow FreeBSD's sys/vm/pmap.h.
 */
#ifndef CALF_MM_PMAP_H
#define CALF_MM_PMAP_H

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pmap_md.h> /* paddr_t, struct pmap, struct mm_lock: one per arch */

/* A user virtual address: pointer-sized on every port (print with PRIxVADDR). */
typedef uintptr_t vaddr_t;
#define PRIxVADDR PRIxPTR
typedef uint8_t vm_prot_t;

#define VM_PROT_NONE 0u
#define VM_PROT_READ 1u
#define VM_PROT_WRITE 2u
#define VM_PROT_EXEC 4u

#define PAGE_SHIFT 12
#define PAGE_SIZE (1u << PAGE_SHIFT)
#define PAGE_MASK (PAGE_SIZE - 1u)
#define page_trunc(x) ((x) & ~(vaddr_t)PAGE_MASK)
#define page_round(x) (((x) + PAGE_MASK) & ~(vaddr_t)PAGE_MASK)

/*
 * Frame counts and page tables. A frame's reference count counts the page
 * tables that map it (plus any other holder), not the address spaces: a
 * table shared by several pmaps holds one reference for all of them. A
 * page-table page is itself a frame of the frame table, and its count is
 * the number of pmaps using it. The work below is done a table at a time
 * (a table maps PMAP_TABLE_SPAN bytes, a power of two; <pmap_md.h>), never
 * page by page over untouched memory.
 */

/*
 * Frames the contract may take, which strict commit accounting charges for
 * (mm/vm.h): pmap_create one (the top-level table), pmap_enter one (a table
 * for an empty span), pmap_unshare one (the copy); nothing else takes any.
 */

/* Create an empty user address space. Returns 0 or -ENOMEM. */
int pmap_create(struct pmap *pm);

/*
 * Drop every mapping of pm and free its tables: a table pm alone uses gives
 * up the reference it holds on each frame it maps; a table other pmaps still
 * share only loses pm's reference. pm may be reused after pmap_create.
 */
void pmap_destroy(struct pmap *pm);

/*
 * Map va to pa with prot in a table pm does not share (pmap_unshare first),
 * replacing any mapping and invalidating the stale TLB entry; the caller
 * has given pa the reference this mapping holds. Returns 0 or -ENOMEM when
 * a page-table page cannot be had.
 */
int pmap_enter(struct pmap *pm, vaddr_t va, paddr_t pa, vm_prot_t prot);

/*
 * Unmap [sva, eva) (page aligned), each unmapped frame losing the reference
 * its table held, and let go of the tables wholly inside the range (a shared
 * one only loses pm's reference). A table only partly inside must be pm's
 * own: mm/ unshares the end tables first, so nothing here can fail.
 */
void pmap_remove(struct pmap *pm, vaddr_t sva, vaddr_t eva);

/*
 * Lower every mapping of [sva, eva) (page aligned) to at most prot, keeping
 * its frame and its reference: an entry left with VM_PROT_NONE stays valid
 * but refuses every user access. Never raises a permission (mm/ leaves that
 * to the next fault). The tables holding the range are pm's own (mm/
 * unshares them first). One TLB flush for the range. mprotect's work.
 */
void pmap_protect(struct pmap *pm, vaddr_t sva, vaddr_t eva, vm_prot_t prot);

/*
 * Fork's work: make dst, which maps nothing in [sva, eva), share each page
 * table of src that maps part of that range (whole, with anything else it
 * maps). Both pmaps see the same mappings, none of them writable, until a
 * fault in one gives it a table of its own (pmap_unshare); no frame count
 * moves. Invalidates the TLB entries of src this makes stale. Returns 0 or
 * -EOVERFLOW (a table's count is saturated; dst keeps what it took so far,
 * for the caller to destroy).
 */
int pmap_share(struct pmap *dst, struct pmap *src, vaddr_t sva, vaddr_t eva);

/* True when pm reaches va through a table it shares (or shared until the others left). */
bool pmap_table_shared(const struct pmap *pm, vaddr_t va);

/*
 * Give pm a table of its own for va. While other pmaps use the shared table,
 * pm gets a copy: every mapping in both becomes read-only and each frame
 * mapped gains a reference for the copy (*copied = true). When pm is its
 * last user it simply takes it back (*copied = false). Returns 0, or
 * -ENOMEM (no frame for the copy) or -EOVERFLOW with pm still sharing.
 */
int pmap_unshare(struct pmap *pm, vaddr_t va, bool *copied);

/*
 * True when va is mapped; then *pa and *prot (both optional) describe it.
 * prot is what the mapping allows now: never WRITE through a shared table.
 */
bool pmap_extract(const struct pmap *pm, vaddr_t va, paddr_t *pa, vm_prot_t *prot);

/* What pmap_lookup() found: the fault handler's view of one address. */
struct pmap_entry {
	void *where;    /* the arch's entry, for pmap_update() */
	paddr_t pa;     /* the frame mapped, when mapped */
	vm_prot_t prot; /* what the mapping allows now: never WRITE through a shared table */
	bool shared;    /* the table holding va is one pm shares (pmap_unshare first) */
};

/*
 * The fault handler's look at va in one walk: fills e->shared always and
 * the rest when va is mapped. Returns true when it is mapped.
 */
bool pmap_lookup(const struct pmap *pm, vaddr_t va, struct pmap_entry *e);

/*
 * Give the mapping pmap_lookup() found at va the permissions prot, keeping
 * its frame, in a table pm does not share, and invalidate its stale TLB
 * entry: a reuse fault's only write. Nothing else may have changed pm since
 * the lookup (mm/ has the space to itself throughout: its mutex, or as its
 * only user).
 */
void pmap_update(struct pmap *pm, vaddr_t va, const struct pmap_entry *e, vm_prot_t prot);

/* Make pm the current user address space of this CPU. */
void pmap_activate(struct pmap *pm);

/* Fill the frame at pa with zeroes. */
void pmap_zero_page(paddr_t pa);

/* Copy the 4 KiB frame at src to the frame at dst. */
void pmap_copy_page(paddr_t src, paddr_t dst);

/*
 * The kernel wrote [pa, pa + len), inside one frame, through its own mapping
 * (pmap_kva), and a user space will execute it: make the CPU's instruction
 * fetches see those bytes, wherever the frame is mapped. mm/ calls it for
 * the pages of an executable segment the loader wrote (vm_sync_icache) and
 * for every frame a fault fills or copies into a writable and executable
 * region; nothing else. An arch whose instruction fetches always see data
 * writes (i386) does nothing.
 */
void pmap_sync_icache(paddr_t pa, size_t len);

/*
 * Kernel pointer through which the CPU reaches physical address pa (the
 * direct map). Lets mm/ copy to and from user frames without touching the
 * user mapping, so a kernel write never races the COW state of a PTE. With
 * a plain direct map the arch defines PMAP_DIRECT_MAP_OFFSET (RAM is seen
 * at pa + offset) and this is inline, since every table walk calls it.
 */
#ifdef PMAP_DIRECT_MAP_OFFSET
static inline void *pmap_kva(paddr_t pa)
{
	return (void *)(uintptr_t)(pa + PMAP_DIRECT_MAP_OFFSET);
}

/* The physical address of kva, a pointer into the direct map (the kernel image is one). */
static inline paddr_t pmap_kpa(const void *kva)
{
	return (paddr_t)((uintptr_t)kva - PMAP_DIRECT_MAP_OFFSET);
}
#else
void *pmap_kva(paddr_t pa); /* a platform with no plain direct map (the host tests) */
#endif

/*
 * Take and release a mm lock: a spinlock for short sections of constant
 * length (the frame table, the space pool). On target it keeps interrupts
 * off while held, so nothing under it may sleep or loop over input.
 */
void mm_lock_acquire(struct mm_lock *lk);
void mm_lock_release(struct mm_lock *lk);

/*
 * The lock of one address space: a sleeping mutex. Its holder may be
 * preempted and may block; a more urgent task waiting for it lends the
 * holder its priority (kernel/mutex.c). The fields belong to the kernel's
 * implementation (the host tests' one only marks the owner).
 */
struct mm_mutex {
	void *owner;              /* the holding task; NULL when free */
	void *waiters;            /* tasks blocked on it */
	struct mm_mutex *next_held; /* the owner's other held mutexes */
};

/* Take m, sleeping while another task holds it. Never from interrupt context. */
void mm_mutex_lock(struct mm_mutex *m);

/* Give m back; the most urgent waiter, if any, gets it next. */
void mm_mutex_unlock(struct mm_mutex *m);

/* Stop on a broken mm invariant; supplied by the kernel or the test harness. */
_Noreturn void mm_panic(const char *why);

/*
 * Stop unless lk is held (every struct mm_lock has a `held` word). Every
 * function named *_locked starts with it, so the suffix is checked, not
 * only a name; inline, because the fault path calls it on every fault.
 */
static inline void mm_lock_assert_held(const struct mm_lock *lk)
{
	if (!lk->held)
		mm_panic("a _locked function ran without its lock");
}

/* The same check for a space's mutex. */
static inline void mm_mutex_assert_held(const struct mm_mutex *m)
{
	if (!m->owner)
		mm_panic("a _locked function ran without its space's mutex");
}

#endif
