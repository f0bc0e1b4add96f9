/*
 * pmap_md.h (host) - the software page table the host tests run mm/ over.
 * Same user-space limits as the ARM port, so tests exercise real addresses.
 */
#ifndef CALF_HOST_PMAP_MD_H
#define CALF_HOST_PMAP_MD_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>

/* Physical addresses of the simulated RAM: 32 bits, as on the targets. */
typedef uint32_t paddr_t;
#define PRIxPADDR PRIx32

#define PMAP_USER_START 0x00001000u /* page 0 stays unmapped: null pointers fault */
#define PMAP_USER_END 0x40000000u   /* 1 GiB of user space, as TTBCR.N = 2 on ARM */

struct mm_lock {
	int held; /* the host checks that nobody takes a lock twice */
};

/* Each software table maps 4 MiB, as a page table does on i386 and four on armv7. */
#define PMAP_TABLE_SPAN (1u << 22)

struct swtable;

/* One directory entry: a table and whether this pmap reaches it as a sharer. */
struct swdirent {
	struct swtable *table;
	bool shared;
};

struct pmap {
	struct swdirent *dir;   /* 1024 entries of 4 MiB each */
	paddr_t dir_frame;      /* the frame standing for dir, when dir_has_frame */
	bool dir_has_frame;
	uint32_t invalidations; /* TLB entries (or whole flushes) the pmap would have dropped */
};

#endif
