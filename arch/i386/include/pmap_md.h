/*
 * pmap_md.h (i386) - struct pmap for two-level 32-bit paging (no PAE).
 *
 * The kernel sees RAM at its physical address in the low 1 GiB, through
 * global supervisor-only mappings every page directory shares; user space
 * is the 1 GiB above it, one page directory per address space.
 */
#ifndef CALF_I386_PMAP_MD_H
#define CALF_I386_PMAP_MD_H

#include <inttypes.h>
#include <stdint.h>

/* Physical addresses: 32 bits (no LPAE/PAE). */
typedef uint32_t paddr_t;
#define PRIxPADDR PRIx32

/* The kernel sees RAM at its physical address (pmap_kva). */
#define PMAP_DIRECT_MAP_OFFSET 0u

#define PMAP_USER_START 0x40000000u /* below: the kernel's direct map of RAM */
#define PMAP_USER_END 0x80000000u   /* 1 GiB of user space, as on armv7 */
#define PMAP_TABLE_SPAN (1u << 22)  /* one page table: 1024 entries of 4 KiB */
#define PMAP_TABLE_SLOTS 256u       /* page tables a user space can have: 1 GiB / 4 MiB */
#define PMAP_TABLE_SLOT_BASE PMAP_USER_START /* slot s maps [BASE + s * SPAN, + SPAN) */

struct mm_lock {
	uint32_t held;  /* for the day there are two CPUs; checked now */
	uint32_t saved; /* EFLAGS.IF of the holder */
};

struct pmap {
	uint32_t *pd;   /* 1024 page-directory entries, one frame */
	paddr_t pd_pa;  /* what CR3 holds while this space runs */
	uint32_t slots_used[PMAP_TABLE_SLOTS / 32]; /* which directory entries hold a table */
};

#endif
