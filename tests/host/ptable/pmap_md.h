/*
 * pmap_md.h (host, test_ptable) - a minimal pmap for testing the shipped
 * table walks of arch/generic/ptable.c on the host: one slot word per 4 MiB,
 * holding a table frame's address and two flag bits, tables taken from the
 * frame table as on target.
 */
#ifndef CALF_HOST_PTABLE_PMAP_MD_H
#define CALF_HOST_PTABLE_PMAP_MD_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>

typedef uint32_t paddr_t;
#define PRIxPADDR PRIx32

#define PMAP_USER_START 0x00001000u
#define PMAP_USER_END 0x40000000u
#define PMAP_TABLE_SPAN (1u << 22)
#define PMAP_TABLE_SLOTS 256u
#define PMAP_TABLE_SLOT_BASE 0u

#define TP_SLOT_PRESENT 0x1u
#define TP_SLOT_SHARED 0x2u

struct mm_lock {
	int held;
};

struct pmap {
	uint32_t slot[PMAP_TABLE_SLOTS]; /* table frame | TP_SLOT_* */
	uint32_t slots_used[PMAP_TABLE_SLOTS / 32];
	uint32_t flushes;    /* ptable_md_flush_space calls */
	uint32_t slot_reads; /* ptable_md_slot_get calls */
};

#endif
