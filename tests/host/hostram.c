/* hostram.c - simulated RAM, page routines, mm locks and panic for the host tests. */
#include "hostram.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mm/frame.h>

static uint8_t *ram;
static uint32_t ram_frames;
static struct frame *frame_recs;

void host_ram_init(uint32_t nframes)
{
	ram = calloc(nframes, PAGE_SIZE);
	frame_recs = calloc(nframes, sizeof(*frame_recs));
	assert(ram && frame_recs);
	ram_frames = nframes;
	frame_table_init(frame_recs, 0, nframes);
}

void host_ram_fini(void)
{
	free(ram);
	free(frame_recs);
	ram = NULL;
	frame_recs = NULL;
}

void *pmap_kva(paddr_t pa)
{
	if ((pa >> PAGE_SHIFT) >= ram_frames)
		mm_panic("host: physical address outside simulated RAM");
	return ram + pa;
}

void pmap_zero_page(paddr_t pa)
{
	memset(pmap_kva(pa), 0, PAGE_SIZE);
}

void pmap_copy_page(paddr_t src, paddr_t dst)
{
	memcpy(pmap_kva(dst), pmap_kva(src), PAGE_SIZE);
}

void mm_lock_acquire(struct mm_lock *lk)
{
	if (lk->held)
		mm_panic("host: lock taken twice");
	lk->held = 1;
}

void mm_lock_release(struct mm_lock *lk)
{
	if (!lk->held)
		mm_panic("host: lock released while free");
	lk->held = 0;
}

static unsigned long mutex_takes;

unsigned long host_mutex_takes(void)
{
	return mutex_takes;
}

/*
 * One thread on the host: a space's mutex only marks its owner, catches a
 * nested take, and counts takes (which paths lock is part of the contract).
 */
void mm_mutex_lock(struct mm_mutex *m)
{
	if (m->owner)
		mm_panic("host: mutex taken twice");
	m->owner = m;
	mutex_takes++;
}

void mm_mutex_unlock(struct mm_mutex *m)
{
	if (!m->owner)
		mm_panic("host: mutex released while free");
	m->owner = NULL;
}

_Noreturn void mm_panic(const char *why)
{
	fprintf(stderr, "mm_panic: %s\n", why);
	abort();
}
