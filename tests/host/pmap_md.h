/*
 * pmap_md.h (host) - the software page table the host tests run mm/ over.
 * Same user-space limits as the ARM port, so tests exercise real addresses.
 */
#ifndef CALF_HOST_PMAP_MD_H
#define CALF_HOST_PMAP_MD_H

#include <inttypes.h>
#include <stdint.h>

/* Physical addresses: 32 bits (no LPAE/PAE). */
typedef uint32_t paddr_t;
#define PRIxPADDR PRIx32

#define PMAP_USER_START 0x00001000u /* page 0 stays unmapped: null pointers fault */
#define PMAP_USER_END 0x40000000u   /* 1 GiB of user space, as TTBCR.N = 2 on ARM */

struct mm_lock {
	int held; /* the host checks that nobody takes a lock twice */
};

struct swpte;

struct pmap {
	struct swpte **dir; /* 1024 second-level tables of 1024 entries */
	uint32_t invalidations; /* TLB entries the pmap would have dropped */
};

#endif
