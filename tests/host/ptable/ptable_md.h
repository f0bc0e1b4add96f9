/* ptable_md.h (host, test_ptable) - an entry: frame | W (bit 1) | valid (bit 0). */
#ifndef CALF_HOST_PTABLE_MD_H
#define CALF_HOST_PTABLE_MD_H

#include <stdbool.h>
#include <stdint.h>

#include <pmap_md.h>

typedef uint32_t pt_entry_t;
#define PTABLE_ENTRIES 1024u
#define TP_PTE_VALID 0x1u
#define TP_PTE_WRITE 0x2u

static inline bool pt_valid(pt_entry_t e)
{
	return e & TP_PTE_VALID;
}

static inline paddr_t pt_frame(pt_entry_t e)
{
	return e & ~0xFFFu;
}

static inline pt_entry_t pt_wrprotect(pt_entry_t e)
{
	return e & ~TP_PTE_WRITE;
}

/* Only W can be taken away in this format. */
static inline pt_entry_t pt_protect(pt_entry_t e, unsigned prot)
{
	return (prot & 2u) ? e : pt_wrprotect(e);
}

#endif
