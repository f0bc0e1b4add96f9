/*
 * ptable_md.h (i386) - the page-table entry format for the shared table
 * walks (arch/generic/ptable.h): 1024 32-bit entries per table, 4 MiB.
 */
#ifndef CALF_I386_PTABLE_MD_H
#define CALF_I386_PTABLE_MD_H

#include <stdbool.h>
#include <stdint.h>

#include <pmap_md.h>

typedef uint32_t pt_entry_t;
#define PTABLE_ENTRIES 1024u

/* Present (bit 0, SDM vol. 3 table 4-6). */
static inline bool pt_valid(pt_entry_t e)
{
	return (e & 0x1u) != 0;
}

static inline paddr_t pt_frame(pt_entry_t e)
{
	return e & 0xFFFFF000u;
}

/* Clear R/W (bit 1); with CR0.WP the kernel is refused too. */
static inline pt_entry_t pt_wrprotect(pt_entry_t e)
{
	return e & ~0x2u;
}

/*
 * e allowing at most prot (VM_PROT_* bits: READ 1, WRITE 2, EXEC 4): no
 * write clears R/W; nothing at all clears U/S (bit 2), so every user access
 * faults while the entry keeps its frame (SDM vol. 3 4.6.1). No NX without
 * PAE: a readable page is executable.
 */
static inline pt_entry_t pt_protect(pt_entry_t e, unsigned prot)
{
	if (prot == 0)
		e &= ~0x4u;
	if (!(prot & 2u))
		e = pt_wrprotect(e);
	return e;
}

#endif
