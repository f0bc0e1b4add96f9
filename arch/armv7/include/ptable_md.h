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

#define PT_AP_LOW (3u << 4) /* AP[1:0] */
#define PT_AP_KERNEL (1u << 4) /* AP[1:0] = 01 */
#define PT_APX (1u << 9)     /* AP[2] */
#define PT_XN (1u << 0)

/*
 * Read-only at every level: AP[2] (APX, bit 9) set, AP[1:0] kept (B3.7.1).
 * A no-access entry (AP[2:0] = 101, below) stays so: one ORR per entry,
 * the only work per entry of a table copy at fork.
 */
static inline pt_entry_t pt_wrprotect(pt_entry_t e)
{
	return e | PT_APX;
}

/*
 * e allowing at most prot (VM_PROT_*): no write sets APX, no exec sets XN,
 * nothing at all makes AP[2:0] 101: PL1 read-only, no access from PL0
 * (B3.7.1), which write-protecting leaves as it is. A prot with only WRITE
 * or EXEC keeps reads: short descriptors have no write-only or
 * execute-only page.
 */
static inline pt_entry_t pt_protect(pt_entry_t e, unsigned prot)
{
	if (prot == 0)
		return (e & ~PT_AP_LOW) | PT_AP_KERNEL | PT_APX | PT_XN;
	if (!(prot & 2u))
		e = pt_wrprotect(e);
	if (!(prot & 4u))
		e |= PT_XN;
	return e;
}

#endif
