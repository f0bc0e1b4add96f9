/*
 * ptable.c - the walks over a second-level table that every port shares
 * (see ptable.h). Each walk visits only the chunks that ever held an entry.
 */
#include <arch/generic/ptable.h>

#include <errno.h>
#include <string.h>

#include <mm/frame.h>

/* The chunks of t that ever held a valid entry. */
static unsigned ptable_chunks_used(paddr_t t)
{
	return frame_aux_get(t);
}

int ptable_alloc(paddr_t *t)
{
	int err = frame_alloc_zeroed(t); /* a fresh frame's aux is 0: no chunk used */
	if (err == 0)
		ptable_sync(ptable_entries(*t), PTABLE_ENTRIES); /* the walker must see zeros, not old RAM */
	return err;
}

void ptable_mark(paddr_t t, unsigned idx)
{
	unsigned bit = 1u << (idx / PTABLE_CHUNK_ENTRIES);
	unsigned used = ptable_chunks_used(t);
	if (!(used & bit))
		frame_aux_set(t, (uint16_t)(used | bit));
}

/* True when chunk c of a table whose used-chunk word is used ever held an entry. */
static bool chunk_used(unsigned used, unsigned c)
{
	return used & (1u << c);
}

/* Clear entries [first, end) of one chunk, dropping their references; returns how many were valid. */
static unsigned ptable_clear_chunk(pt_entry_t *e, unsigned first, unsigned end)
{
	unsigned cleared = 0;
	frame_batch_begin();
	for (unsigned i = first; i < end; i++) {
		if (pt_valid(e[i])) {
			frame_unref_locked(pt_frame(e[i]));
			e[i] = 0;
			cleared++;
		}
	}
	frame_batch_end();
	return cleared;
}

unsigned ptable_clear(paddr_t t, unsigned first, unsigned end)
{
	pt_entry_t *e = ptable_entries(t);
	unsigned used = ptable_chunks_used(t), cleared = 0;
	for (unsigned i = first; i < end;) {
		unsigned c = i / PTABLE_CHUNK_ENTRIES, stop = (c + 1) * PTABLE_CHUNK_ENTRIES;
		if (stop > end)
			stop = end;
		if (chunk_used(used, c))
			cleared += ptable_clear_chunk(e, i, stop);
		i = stop;
	}
	if (cleared)
		ptable_sync(&e[first], end - first);
	return cleared;
}

/* Drop the references held by every valid entry of t's used chunks. */
static void ptable_release_frames(paddr_t t)
{
	pt_entry_t *e = ptable_entries(t);
	unsigned used = ptable_chunks_used(t);
	for (unsigned c = 0; c < PTABLE_CHUNKS; c++) {
		if (!chunk_used(used, c))
			continue;
		frame_batch_begin();
		for (unsigned i = c * PTABLE_CHUNK_ENTRIES; i < (c + 1) * PTABLE_CHUNK_ENTRIES; i++)
			if (pt_valid(e[i]))
				frame_unref_locked(pt_frame(e[i]));
		frame_batch_end();
	}
}

void ptable_drop(paddr_t t)
{
	if (frame_unref_unless_last(t))
		return;
	ptable_release_frames(t);
	frame_unref(t);
}

/*
 * Copy chunk c from src to dst, write-protecting each valid entry in both
 * and referencing its frame. 0, or -errno with *bad the first entry of the
 * chunk not copied.
 */
static int ptable_copy_chunk(pt_entry_t *src, pt_entry_t *dst, unsigned c, unsigned *bad)
{
	int err = 0;
	unsigned i = c * PTABLE_CHUNK_ENTRIES;
	frame_batch_begin();
	for (; i < (c + 1) * PTABLE_CHUNK_ENTRIES; i++) {
		pt_entry_t v = src[i];
		if (!pt_valid(v))
			continue; /* dst is zeroed already */
		err = frame_ref_locked(pt_frame(v));
		if (err)
			break;
		v = pt_wrprotect(v);
		src[i] = v;
		dst[i] = v;
	}
	frame_batch_end();
	*bad = i;
	return err;
}

int ptable_copy(paddr_t t, paddr_t *out)
{
	paddr_t c;
	int err = frame_alloc_zeroed(&c);
	if (err)
		return err;
	pt_entry_t *src = ptable_entries(t), *dst = ptable_entries(c);
	unsigned used = ptable_chunks_used(t), bad = 0;
	for (unsigned k = 0; k < PTABLE_CHUNKS && !err; k++)
		if (chunk_used(used, k))
			err = ptable_copy_chunk(src, dst, k, &bad);
	if (err) {
		/* Entries from bad on were never referenced: clear them, then drop the copy. */
		memset(&dst[bad], 0, (PTABLE_ENTRIES - bad) * sizeof(pt_entry_t));
		frame_aux_set(c, (uint16_t)used);
		ptable_release_frames(c);
		frame_unref(c);
		return err;
	}
	frame_aux_set(c, (uint16_t)used);
	/* The copy is new, all of it; in the source only the used chunks changed. */
	ptable_sync(dst, PTABLE_ENTRIES);
	for (unsigned k = 0; k < PTABLE_CHUNKS; k++)
		if (chunk_used(used, k))
			ptable_sync(&src[k * PTABLE_CHUNK_ENTRIES], PTABLE_CHUNK_ENTRIES);
	*out = c;
	return 0;
}
