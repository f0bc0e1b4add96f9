/*
 * ptable_md.h (armv7) - the second-level entry format for the shared table
 * walks (arch/generic/ptable.h). A table frame holds the four 256-entry
 * coarse tables of four consecutive first-level entries (4 MiB).
 */
#ifndef CALF_ARMV7_PTABLE_MD_H
#define CALF_ARMV7_PTABLE_MD_H

#include <stdbool.h>
#include <stdint.h>

#include <pmap_md.h>

typedef uint32_t pt_entry_t;
#define PTABLE_ENTRIES 1024u

/* A small-page descriptor (B3.5.2): bits [1:0] 1x; 00 is a fault entry. */
static inline bool pt_valid(pt_entry_t e)
{
	return (e & 0x2u) != 0;
}

static inline paddr_t pt_frame(pt_entry_t e)
{
	return e & ~0xFFFu;
}

/* Read-only at every level: AP[2] (APX, bit 9) set, AP[1:0] kept (B3.7.1). */
static inline pt_entry_t pt_wrprotect(pt_entry_t e)
{
	return e | (1u << 9);
}

#endif
