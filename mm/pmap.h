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

/* Create an empty user address space. Returns 0 or -ENOMEM. */
int pmap_create(struct pmap *pm);

/* Free the page tables of pm; it must hold no mappings (pmap_remove first). */
void pmap_destroy(struct pmap *pm);

/*
 * Map va to pa with prot, replacing any mapping and invalidating the stale
 * TLB entry. Returns 0 or -ENOMEM when a page-table page cannot be had.
 */
int pmap_enter(struct pmap *pm, vaddr_t va, paddr_t pa, vm_prot_t prot);

/* Unmap every page in [sva, eva) and invalidate their TLB entries. */
void pmap_remove(struct pmap *pm, vaddr_t sva, vaddr_t eva);

/* Reduce every mapping in [sva, eva) to at most prot, invalidating the TLB. */
void pmap_protect(struct pmap *pm, vaddr_t sva, vaddr_t eva, vm_prot_t prot);

/* True when va is mapped; then *pa and *prot (both optional) describe it. */
bool pmap_extract(const struct pmap *pm, vaddr_t va, paddr_t *pa, vm_prot_t *prot);

/* Make pm the current user address space of this CPU. */
void pmap_activate(struct pmap *pm);

/* Fill the frame at pa with zeroes. */
void pmap_zero_page(paddr_t pa);

/* Copy the 4 KiB frame at src to the frame at dst. */
void pmap_copy_page(paddr_t src, paddr_t dst);

/*
 * Kernel pointer through which the CPU reaches physical address pa (the
 * direct map). Lets mm/ copy to and from user frames without touching the
 * user mapping, so a kernel write never races the COW state of a PTE.
 */
void *pmap_kva(paddr_t pa);

/* Take and release a mm lock (IRQ-safe on target; checked on the host). */
void mm_lock_acquire(struct mm_lock *lk);
void mm_lock_release(struct mm_lock *lk);

/*
 * Stop (through mm_panic) unless this CPU holds lk. Every function named
 * *_locked starts with it, so the suffix is checked, not only a name.
 */
void mm_lock_assert_held(const struct mm_lock *lk);

/* Stop on a broken mm invariant; supplied by the kernel or the test harness. */
_Noreturn void mm_panic(const char *why);

#endif
