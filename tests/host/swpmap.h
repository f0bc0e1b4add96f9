/*
 * swpmap.h - host-side helpers around the software pmap: simulated RAM and a
 * simulated MMU access that faults into vm_fault() exactly as hardware would.
 */
#ifndef CALF_HOST_SWPMAP_H
#define CALF_HOST_SWPMAP_H

#include <mm/vm.h>

/* Give the frame table nframes frames of simulated RAM at physical 0 (tables back to plain malloc). */
void swpmap_ram_init(uint32_t nframes);

/* Free the simulated RAM. */
void swpmap_ram_fini(void);

/* Let only n more page-table allocations succeed (-1: no limit). */
void swpmap_table_budget(int n);

/* Make shared tables refuse reads too, as armv7's no-access domain does (default: writes only, as i386). */
void swpmap_shared_traps_reads(bool on);

/*
 * Make every page table and top-level directory made from now on take a
 * frame of the frame table, as on target (default: plain malloc, no frame),
 * so commit accounting and the frame counts see them.
 */
void swpmap_tables_take_frames(bool on);

/* The frame behind a table (swpmap_table_of) or pm's directory; false when it has none. */
bool swpmap_table_frame(const void *table, paddr_t *pa);
bool swpmap_dir_frame(const struct pmap *pm, paddr_t *pa);

/* Which table maps va in pm (NULL: none); equal pointers mean one shared table. */
const void *swpmap_table_of(const struct pmap *pm, vaddr_t va);

/* How many pmaps use the table swpmap_table_of() returned. */
uint32_t swpmap_table_refs(const void *table);

/* Page-table pages the software pmaps hold (must drop to 0 after teardown). */
uint32_t swpmap_tables_live(void);

/*
 * Access one byte as a user task would: translate, fault into vm_fault() on a
 * missing or too weak mapping, retry. Returns 0 or vm_fault()'s error.
 */
int swpmap_user_write(struct vmspace *vs, vaddr_t va, uint8_t val);
int swpmap_user_read(struct vmspace *vs, vaddr_t va, uint8_t *val);

/* One pmap_sync_icache() call: the range of one frame made visible to instruction fetches. */
struct swpmap_sync {
	paddr_t pa;
	size_t len;
};
#define SWPMAP_SYNC_LOG 256 /* calls kept; the count goes on */

/* pmap_sync_icache() calls since the last reset, and the i-th of them (NULL past the log). */
uint32_t swpmap_syncs(void);
const struct swpmap_sync *swpmap_sync_get(uint32_t i);
void swpmap_syncs_reset(void);

#endif
