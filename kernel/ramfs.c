/*
 * ramfs.c - the RAM filesystem at "/" (see ramfs.h).
 *
 * Storage, all of it frames of the frame table taken uncharged:
 * - inodes (struct ramfs_node) in slab pages, a few dozen to a frame; an
 *   emptied slab page goes back at once;
 * - each node's pages in a radix tree: the node's root slot names page 0
 *   itself (depth 0), or an index page of IDX_ENTRIES slots (depth 1), or
 *   an index of index pages (depth 2). A slot holds a frame's address with
 *   SLOT_PRESENT set, or 0 for a hole (physical 0 is a real frame). An index
 *   page counts its present slots in its frame record's aux word, so it goes
 *   back the moment its last page does;
 * - a file's pages are its bytes, and bytes past the size in the last page
 *   are always zero (truncate clears them), so growing a file never has to;
 * - a directory's pages are arrays of DIR_SLOTS fixed slots (pointer,
 *   length, name), in the same tree; aux counts the slots in use, and a
 *   page is freed when it empties. Entries never move, so a reader walking
 *   the slots by offset (getdents) sees every entry that stays exactly once.
 *
 * Locks, none ever taken while holding another of these but fs.alloc:
 * - node->io, a sleeping mutex per regular file: one read, write or
 *   truncate of that file at a time, whole, so an O_APPEND write's offset
 *   and data go together and a shared offset moves once per call. Under
 *   it, user memory is copied a piece at a time (at most a page of the
 *   file and of the user buffer), taking the address space's mutex.
 * - fs.lock, a sleeping mutex over the namespace: directory slots, link
 *   counts, parents, rename. getdents copies records out under it.
 * - fs.alloc, a spinlock (interrupts off on target) for the frame count
 *   and the slab list: constant-length sections only.
 * evict takes nothing but fs.alloc: an inode may be evicted by whoever
 * drops its last reference or link, inside or outside fs.lock, and no one
 * can reach an evicted inode. Loops over a file's pages (truncate, evict)
 * run with interrupts on, each step freeing one frame under short locks.
 */
#include "ramfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

#include <calf/abi.h>
#include <mm/frame.h>
#include <mm/vm.h>
#include "file.h"
#include "mutex.h"
#include "task.h"
#include "timer.h"
#include "vfs.h"

#define SLOT_PRESENT 1u
#define IDX_BITS (PAGE_SHIFT - 2)
#define IDX_ENTRIES (1u << IDX_BITS)
#define TREE_DEPTH_MAX 2u
#define BLOCKS_PER_PAGE (PAGE_SIZE / 512u)
#define DIRENT_BATCH 32u /* records one getdents copies out under fs.lock */
#define ZERO_CHUNK 256u

_Static_assert(sizeof(paddr_t) == 4, "an index page holds 1024 frame addresses");
_Static_assert((RAMFS_FILE_MAX >> PAGE_SHIFT) < (1u << (IDX_BITS * TREE_DEPTH_MAX)),
	       "two index levels reach every page of the largest file");

struct slab;

struct ramfs_node {
	struct inode vfs;   /* first: an inode of this filesystem is its node */
	struct mm_mutex io; /* regular files: one read, write or truncate at a time */
	struct slab *slab;  /* the slab page holding the node */
	paddr_t root;       /* the page tree's root slot */
	uint8_t depth;      /* index levels above the pages: 0, 1 or 2 */
	uint16_t free_next; /* in a slab's free list: the next free node's index */
	uint32_t frames;    /* frames the tree holds, index pages included */
	uint32_t entries;   /* directories: named entries */
	uint32_t dir_pages; /* directories: pages the slots span (the last one is present) */
};
_Static_assert(offsetof(struct ramfs_node, vfs) == 0, "node_of converts by cast");

/* The header at the start of a slab page; nodes follow it. */
struct slab {
	struct slab *next, *prev; /* the list of slabs with a free node */
	paddr_t pa;
	uint16_t used;
	uint16_t free; /* index of the first free node, SLAB_NONE when full */
};

#define SLAB_NONE 0xffffu
#define SLAB_NODE_SIZE ((sizeof(struct ramfs_node) + 7u) & ~(size_t)7u)
#define SLAB_FIRST ((sizeof(struct slab) + 7u) & ~(size_t)7u)
#define SLAB_NODES ((PAGE_SIZE - SLAB_FIRST) / SLAB_NODE_SIZE)
_Static_assert(SLAB_NODES >= 8 && SLAB_NODES < SLAB_NONE, "a slab page holds several nodes");

/* One directory entry: a slot of a directory page. */
struct dir_slot {
	struct ramfs_node *node; /* NULL: free */
	uint8_t len;
	char name[CALF_NAME_MAX];
};
#define DIR_SLOTS (PAGE_SIZE / sizeof(struct dir_slot))

/* A slot's place in a directory. */
struct dir_pos {
	uint32_t page, slot;
};

/* Where one page hangs in a node's tree. */
struct tree_path {
	paddr_t *slot;                /* the slot naming the page */
	paddr_t *up[TREE_DEPTH_MAX];  /* the slots naming the index pages on the way, root first */
	unsigned levels;              /* index pages on the way */
};

static struct {
	struct mm_mutex lock;  /* the namespace (see the top of the file) */
	struct mm_lock alloc;  /* frames, nodes and partial below */
	uint32_t frames;       /* frames held, against limit */
	uint32_t limit;
	uint32_t nodes;
	struct slab *partial;  /* slabs with a free node */
} fs;

static const struct inode_ops ramfs_iops;
static const struct file_ops ramfs_file_ops;
static const struct file_ops ramfs_dir_ops;

/* The node of an inode of this filesystem. */
static struct ramfs_node *node_of(struct inode *ino)
{
	return (struct ramfs_node *)ino;
}

/* The frame a present tree slot names. */
static paddr_t slot_pa(paddr_t slot)
{
	return slot & ~(paddr_t)PAGE_MASK;
}

/* The smaller of a and b. */
static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* Take a frame (zeroed when zero is set) within the filesystem's limit: 0 or -ENOSPC. */
static int fs_frame_take(paddr_t *pa, bool zero)
{
	mm_lock_acquire(&fs.alloc);
	bool room = fs.frames < fs.limit;
	if (room)
		fs.frames++;
	mm_lock_release(&fs.alloc);
	if (!room)
		return -ENOSPC; /* the limit: POSIX names ENOSPC for "no space left on device" */
	if (frame_alloc_uncharged(pa, zero) == 0)
		return 0;
	mm_lock_acquire(&fs.alloc);
	fs.frames--;
	mm_lock_release(&fs.alloc);
	return -ENOSPC;
}

/* Give a frame of the filesystem back to the frame table. */
static void fs_frame_give(paddr_t pa)
{
	frame_unref(pa);
	mm_lock_acquire(&fs.alloc);
	fs.frames--;
	mm_lock_release(&fs.alloc);
}

/* Push s on the list of slabs with a free node. fs.alloc held. */
static void slab_list_add(struct slab *s)
{
	s->prev = NULL;
	s->next = fs.partial;
	if (fs.partial)
		fs.partial->prev = s;
	fs.partial = s;
}

/* Take s off that list. fs.alloc held. */
static void slab_list_remove(struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		fs.partial = s->next;
	if (s->next)
		s->next->prev = s->prev;
}

/* Node i of slab s. */
static struct ramfs_node *slab_node(struct slab *s, uint16_t i)
{
	return (struct ramfs_node *)((uint8_t *)s + SLAB_FIRST + i * SLAB_NODE_SIZE);
}

/* Lay out a fresh slab page at pa: every node free, chained in order. */
static struct slab *slab_init(paddr_t pa)
{
	struct slab *s = pmap_kva(pa);
	s->pa = pa;
	s->used = 0;
	s->free = 0;
	for (uint32_t i = 0; i < SLAB_NODES; i++)
		slab_node(s, (uint16_t)i)->free_next = (uint16_t)(i + 1 < SLAB_NODES ? i + 1 : SLAB_NONE);
	return s;
}

/* A zeroed node, from a slab page with room or a new one: 0 or -ENOSPC. */
static int node_alloc(struct ramfs_node **out)
{
	mm_lock_acquire(&fs.alloc);
	if (!fs.partial) {
		mm_lock_release(&fs.alloc);
		paddr_t pa;
		int err = fs_frame_take(&pa, true);
		if (err)
			return err;
		struct slab *s = slab_init(pa);
		mm_lock_acquire(&fs.alloc);
		slab_list_add(s);
	}
	struct slab *s = fs.partial;
	uint16_t i = s->free;
	struct ramfs_node *n = slab_node(s, i);
	s->free = n->free_next;
	s->used++;
	if (s->free == SLAB_NONE)
		slab_list_remove(s);
	fs.nodes++;
	mm_lock_release(&fs.alloc);
	memset(n, 0, sizeof(*n));
	n->slab = s;
	*out = n;
	return 0;
}

/* Give a node back; its slab page goes back to the frame table when it empties. */
static void node_free(struct ramfs_node *n)
{
	struct slab *s = n->slab;
	uint16_t i = (uint16_t)(((uint8_t *)n - (uint8_t *)s - SLAB_FIRST) / SLAB_NODE_SIZE);
	mm_lock_acquire(&fs.alloc);
	if (s->free == SLAB_NONE)
		slab_list_add(s);
	n->free_next = s->free;
	s->free = i;
	s->used--;
	fs.nodes--;
	bool empty = s->used == 0;
	if (empty)
		slab_list_remove(s);
	mm_lock_release(&fs.alloc);
	if (empty)
		fs_frame_give(s->pa);
}

/* Count delta frames into (or out of) n's tree and its block count. */
static void node_frames_add(struct ramfs_node *n, int delta)
{
	n->frames += (uint32_t)delta;
	n->vfs.blocks = n->frames * BLOCKS_PER_PAGE;
}

/* Mark n changed now: its status, and its data when data is set. */
static void node_touch(struct ramfs_node *n, bool data)
{
	int64_t now = (int64_t)timer_now();
	n->vfs.ctime_ns = now;
	if (data)
		n->vfs.mtime_ns = now;
}

/* Pages a tree of depth index levels spans. */
static uint32_t tree_span(unsigned depth)
{
	return 1u << (IDX_BITS * depth);
}

/* Add delta to the count a frame of ours keeps in its record (frame_aux_get). */
static void aux_add(paddr_t pa, int delta)
{
	frame_aux_set(pa, (uint16_t)(frame_aux_get(pa) + delta));
}

/* Put the frame pa in the empty slot at the end of path p. */
static void tree_attach(struct ramfs_node *n, struct tree_path *p, paddr_t pa)
{
	*p->slot = pa | SLOT_PRESENT;
	node_frames_add(n, 1);
	if (p->levels)
		aux_add(slot_pa(*p->up[p->levels - 1]), 1);
}

/* Free the index pages at the end of path p that hold nothing, innermost first. */
static void tree_prune(struct ramfs_node *n, struct tree_path *p)
{
	for (unsigned k = p->levels; k > 0; k--) {
		paddr_t table = slot_pa(*p->up[k - 1]);
		if (frame_aux_get(table))
			return;
		fs_frame_give(table);
		*p->up[k - 1] = 0;
		node_frames_add(n, -1);
		if (k > 1)
			aux_add(slot_pa(*p->up[k - 2]), -1);
	}
	n->depth = 0; /* the root went: the tree is empty */
}

/* Free the page at the end of path p and every index page that empties with it. */
static void tree_detach(struct ramfs_node *n, struct tree_path *p)
{
	fs_frame_give(slot_pa(*p->slot));
	*p->slot = 0;
	node_frames_add(n, -1);
	if (p->levels)
		aux_add(slot_pa(*p->up[p->levels - 1]), -1);
	tree_prune(n, p);
}

/* Deepen n's tree until it spans page idx; the old root becomes slot 0 of a new index. */
static int tree_grow(struct ramfs_node *n, uint32_t idx)
{
	while (idx >= tree_span(n->depth)) {
		if (n->depth == TREE_DEPTH_MAX)
			return -EFBIG;
		if (n->root & SLOT_PRESENT) {
			paddr_t pa;
			int err = fs_frame_take(&pa, true);
			if (err)
				return err;
			*(paddr_t *)pmap_kva(pa) = n->root;
			frame_aux_set(pa, 1);
			n->root = pa | SLOT_PRESENT;
			node_frames_add(n, 1);
		}
		n->depth++;
	}
	return 0;
}

/*
 * Find the slot of page idx of n into *p. With make, grow the tree and add
 * missing index pages on the way (0 or -ENOSPC, with nothing left half
 * built); without, -ENOENT when an index page on the way is missing.
 */
static int tree_walk(struct ramfs_node *n, uint32_t idx, bool make, struct tree_path *p)
{
	if (idx >= tree_span(n->depth)) {
		int err = make ? tree_grow(n, idx) : -ENOENT;
		if (err)
			return err;
	}
	p->slot = &n->root;
	p->levels = 0;
	for (unsigned level = n->depth; level > 0; level--) {
		if (!(*p->slot & SLOT_PRESENT)) {
			if (!make)
				return -ENOENT;
			paddr_t pa;
			int err = fs_frame_take(&pa, true);
			if (err) {
				tree_prune(n, p);
				return err;
			}
			tree_attach(n, p, pa);
		}
		p->up[p->levels++] = p->slot;
		paddr_t *table = pmap_kva(slot_pa(*p->slot));
		p->slot = table + ((idx >> (IDX_BITS * (level - 1))) & (IDX_ENTRIES - 1));
	}
	return 0;
}

/*
 * Free the pages numbered first and up under *slot, the root of a subtree
 * of level index levels spanning the pages from base, and the index pages
 * this empties. Recursion depth: TREE_DEPTH_MAX.
 */
static void tree_trim(struct ramfs_node *n, paddr_t *slot, unsigned level, uint32_t base,
		      uint32_t first)
{
	if (!(*slot & SLOT_PRESENT))
		return;
	if (level > 0) {
		paddr_t table = slot_pa(*slot);
		paddr_t *e = pmap_kva(table);
		uint32_t step = tree_span(level - 1);
		uint16_t left = frame_aux_get(table);
		for (uint32_t i = first > base ? (first - base) / step : 0; i < IDX_ENTRIES && left; i++) {
			if (!(e[i] & SLOT_PRESENT))
				continue;
			tree_trim(n, &e[i], level - 1, base + i * step, first);
			if (!(e[i] & SLOT_PRESENT))
				left--;
		}
		frame_aux_set(table, left);
		if (left)
			return;
	} else if (base < first) {
		return;
	}
	fs_frame_give(slot_pa(*slot));
	*slot = 0;
	node_frames_add(n, -1);
}

/* Drop root index pages whose one entry is their first: a file cut small is a lone page again. */
static void tree_shrink(struct ramfs_node *n)
{
	while (n->depth > 0 && (n->root & SLOT_PRESENT)) {
		paddr_t table = slot_pa(n->root);
		paddr_t first = *(paddr_t *)pmap_kva(table);
		if (frame_aux_get(table) != 1 || !(first & SLOT_PRESENT))
			return;
		n->root = first;
		n->depth--;
		fs_frame_give(table);
		node_frames_add(n, -1);
	}
}

/* Free every page of n numbered first and up. */
static void tree_cut(struct ramfs_node *n, uint32_t first)
{
	tree_trim(n, &n->root, n->depth, 0, first);
	if (!(n->root & SLOT_PRESENT))
		n->depth = 0;
	tree_shrink(n);
}

/* The kernel view of page idx of n, or NULL for a hole. */
static uint8_t *page_find(struct ramfs_node *n, uint32_t idx)
{
	struct tree_path p;
	if (tree_walk(n, idx, false, &p) || !(*p.slot & SLOT_PRESENT))
		return NULL;
	return pmap_kva(slot_pa(*p.slot));
}

/*
 * Page idx of n at the end of *p, a new frame if it was a hole (*fresh):
 * zeroed, unless the caller is about to write all of it. 0 or -ENOSPC.
 */
static int page_get(struct ramfs_node *n, uint32_t idx, bool whole, struct tree_path *p,
		    bool *fresh)
{
	paddr_t pa;
	int err = tree_walk(n, idx, true, p);
	*fresh = false;
	if (err || (*p->slot & SLOT_PRESENT))
		return err;
	err = fs_frame_take(&pa, !whole);
	if (err) {
		tree_prune(n, p);
		return err;
	}
	tree_attach(n, p, pa);
	*fresh = true;
	return 0;
}

/* Bytes of the next piece of a copy: within one page of the file and one of the user buffer. */
static uint32_t piece_len(uint32_t pos, vaddr_t buf, size_t left)
{
	uint32_t n = min_u32(PAGE_SIZE - (pos & PAGE_MASK), PAGE_SIZE - (uint32_t)(buf & PAGE_MASK));
	return left < n ? (uint32_t)left : n;
}

/* Zeroes to user buf (a hole being read). 0 or -errno. */
static int copyout_zeroes(vaddr_t buf, uint32_t len)
{
	static const uint8_t zeroes[ZERO_CHUNK];
	for (uint32_t done = 0; done < len;) {
		uint32_t n = min_u32(len - done, ZERO_CHUNK);
		int err = vm_copyout(current->vs, buf + done, zeroes, n);
		if (err)
			return err;
		done += n;
	}
	return 0;
}

/* Copy len bytes of n at pos (below its size) to user buf: the count, or -errno for none. io held. */
static int file_copyout(struct ramfs_node *n, uint32_t pos, vaddr_t buf, uint32_t len)
{
	uint32_t done = 0;
	while (done < len) {
		uint32_t piece = piece_len(pos + done, buf + done, len - done);
		const uint8_t *page = page_find(n, (pos + done) >> PAGE_SHIFT);
		int err = page ? vm_copyout(current->vs, buf + done, page + ((pos + done) & PAGE_MASK), piece)
			       : copyout_zeroes(buf + done, piece);
		if (err)
			return done ? (int)done : err;
		done += piece;
	}
	return (int)done;
}

/*
 * Copy len bytes from user buf into n at pos, filling holes with new
 * pages and growing the size piece by piece: the count, or -errno when
 * nothing was written (-ENOSPC, -EFAULT). A piece lies within one user
 * page, so it is copied whole or not at all. io held.
 */
static int file_copyin(struct ramfs_node *n, uint32_t pos, vaddr_t buf, uint32_t len)
{
	uint32_t done = 0;
	while (done < len) {
		uint32_t at = pos + done;
		uint32_t piece = piece_len(at, buf + done, len - done);
		struct tree_path p;
		bool fresh;
		/* A whole page copied needs no zeroes first: if the copy fails, the page goes. */
		int err = page_get(n, at >> PAGE_SHIFT, piece == PAGE_SIZE, &p, &fresh);
		if (!err) {
			uint8_t *page = pmap_kva(slot_pa(*p.slot));
			err = vm_copyin(current->vs, page + (at & PAGE_MASK), buf + done, piece);
			if (err && fresh)
				tree_detach(n, &p); /* back to the hole it was */
		}
		if (err)
			return done ? (int)done : err;
		done += piece;
		if (at + piece > n->vfs.size)
			n->vfs.size = at + piece;
	}
	return (int)done;
}

/* read() of a regular file: from f->pos, at most to the end. */
static int file_read(struct file *f, vaddr_t buf, size_t len)
{
	struct ramfs_node *n = node_of(f->inode);
	mm_mutex_lock(&n->io);
	uint32_t pos = f->pos, size = n->vfs.size;
	int ret = 0;
	if (pos < size && len) {
		uint32_t want = size - pos;
		if (len < want)
			want = (uint32_t)len;
		ret = file_copyout(n, pos, buf, want);
		if (ret > 0)
			f->pos = pos + (uint32_t)ret;
	}
	mm_mutex_unlock(&n->io);
	return ret;
}

/* write() of a regular file: at f->pos, or at the end with O_APPEND (POSIX write()). */
static int file_write(struct file *f, vaddr_t buf, size_t len)
{
	struct ramfs_node *n = node_of(f->inode);
	mm_mutex_lock(&n->io);
	uint32_t pos = (f->flags & O_APPEND) ? n->vfs.size : f->pos;
	int ret = 0;
	if (len && pos >= RAMFS_FILE_MAX) {
		ret = -EFBIG; /* POSIX write(): past the maximum file size */
	} else if (len) {
		uint32_t room = RAMFS_FILE_MAX - pos;
		ret = file_copyin(n, pos, buf, len < room ? (uint32_t)len : room);
		if (ret > 0) {
			f->pos = pos + (uint32_t)ret;
			node_touch(n, true);
		}
	}
	mm_mutex_unlock(&n->io);
	return ret;
}

/* read() of a directory: POSIX allows EISDIR, as Linux answers. */
static int dir_read(struct file *f, vaddr_t buf, size_t len)
{
	(void)f;
	(void)buf;
	(void)len;
	return -EISDIR;
}

/* Page pg of dir's slots, or NULL when none is in use there. */
static struct dir_slot *dir_page(struct ramfs_node *dir, uint32_t pg)
{
	return (struct dir_slot *)page_find(dir, pg);
}

/*
 * Look for name in dir: its slot (and *at), or NULL. *fr gets the first
 * free slot on the way, or the first of a new page. fs.lock held.
 */
static struct dir_slot *dir_find(struct ramfs_node *dir, const char *name, size_t len,
				 struct dir_pos *at, struct dir_pos *fr)
{
	bool have_free = false;
	*fr = (struct dir_pos){ dir->dir_pages, 0 };
	for (uint32_t pg = 0; pg < dir->dir_pages; pg++) {
		struct dir_slot *s = dir_page(dir, pg);
		if (!s && !have_free) {
			*fr = (struct dir_pos){ pg, 0 };
			have_free = true;
		}
		for (uint32_t i = 0; s && i < DIR_SLOTS; i++) {
			if (s[i].node && s[i].len == len && memcmp(s[i].name, name, len) == 0) {
				*at = (struct dir_pos){ pg, i };
				return &s[i];
			}
			if (!s[i].node && !have_free) {
				*fr = (struct dir_pos){ pg, i };
				have_free = true;
			}
		}
	}
	return NULL;
}

/* A free slot of dir to fill (dir_slot_fill) next. */
struct dir_free {
	struct dir_slot *slot;
	paddr_t page; /* the frame holding it */
};

/* Get the free slot at of dir ready, taking its page if needed: 0 or -ENOSPC. fs.lock held. */
static int dir_slot_get(struct ramfs_node *dir, const struct dir_pos *at, struct dir_free *out)
{
	struct tree_path p;
	bool fresh;
	int err = page_get(dir, at->page, false, &p, &fresh);
	if (err)
		return err;
	if (at->page >= dir->dir_pages)
		dir->dir_pages = at->page + 1;
	out->page = slot_pa(*p.slot);
	out->slot = (struct dir_slot *)pmap_kva(out->page) + at->slot;
	return 0;
}

/* Make the free slot from dir_slot_get name node; nothing may run between the two. fs.lock held. */
static void dir_slot_fill(struct ramfs_node *dir, const struct dir_free *fr, const char *name,
			  size_t len, struct ramfs_node *node)
{
	fr->slot->node = node;
	fr->slot->len = (uint8_t)len;
	memcpy(fr->slot->name, name, len);
	aux_add(fr->page, 1);
	dir->entries++;
	dir->vfs.size = dir->entries + 2;
	node_touch(dir, true);
}

/* Free the used slot at of dir; its page goes when it empties. fs.lock held. */
static void dir_slot_clear(struct ramfs_node *dir, const struct dir_pos *at)
{
	struct tree_path p;
	tree_walk(dir, at->page, false, &p);
	paddr_t pa = slot_pa(*p.slot);
	struct dir_slot *s = (struct dir_slot *)pmap_kva(pa) + at->slot;
	memset(s, 0, sizeof(*s));
	aux_add(pa, -1);
	if (!frame_aux_get(pa))
		tree_detach(dir, &p);
	while (dir->dir_pages && !dir_page(dir, dir->dir_pages - 1))
		dir->dir_pages--;
	dir->entries--;
	dir->vfs.size = dir->entries + 2;
	node_touch(dir, true);
}

/* One directory entry as getdents reports it. */
struct dir_rec {
	uint32_t ino;
	uint32_t mode;
	const char *name;
	size_t len;
};

/*
 * The entry at or after directory offset *pos ("." at 0, ".." at 1, slot k
 * at 2 + k) into *r, moving *pos past it. False at the end. fs.lock held.
 */
static bool dir_next(struct ramfs_node *dir, uint32_t *pos, struct dir_rec *r)
{
	if (*pos < 2) {
		const struct inode *d = *pos == 0 ? &dir->vfs : dir->vfs.parent;
		*r = (struct dir_rec){ d->ino, S_IFDIR, "..", *pos + 1u };
		(*pos)++;
		return true;
	}
	uint32_t k = *pos - 2;
	for (uint32_t pg = k / DIR_SLOTS; pg < dir->dir_pages; pg++) {
		struct dir_slot *s = dir_page(dir, pg);
		for (uint32_t i = pg == k / DIR_SLOTS ? k % DIR_SLOTS : 0; s && i < DIR_SLOTS; i++) {
			if (!s[i].node)
				continue;
			*r = (struct dir_rec){ s[i].node->vfs.ino, s[i].node->vfs.mode, s[i].name, s[i].len };
			*pos = 2 + pg * DIR_SLOTS + i + 1;
			return true;
		}
	}
	return false;
}

/* getdents of a directory: whole records from f->pos, at most DIRENT_BATCH a call. */
static int dir_getdents(struct file *f, vaddr_t buf, size_t len)
{
	size_t max = len / sizeof(struct calf_dirent);
	if (max > DIRENT_BATCH)
		max = DIRENT_BATCH;
	if (!max)
		return -EINVAL; /* no room for one record, as Linux's getdents answers */
	struct ramfs_node *dir = node_of(f->inode);
	size_t off = 0;
	int err = 0;
	mm_mutex_lock(&fs.lock);
	uint32_t pos = f->pos;
	struct dir_rec r;
	while (off < max * sizeof(struct calf_dirent) && dir_next(dir, &pos, &r)) {
		err = vfs_dirent_put(buf, off, r.ino, vfs_dirent_type(r.mode), r.name, r.len);
		if (err)
			break;
		f->pos = pos;
		off += sizeof(struct calf_dirent);
	}
	mm_mutex_unlock(&fs.lock);
	return off ? (int)off : err;
}

/* A new node of mode (S_IFREG or S_IFDIR) whose ".." is dir; no link or reference yet. */
static void node_init(struct ramfs_node *n, uint32_t mode, struct ramfs_node *dir)
{
	n->vfs.ops = &ramfs_iops;
	n->vfs.dev = VFS_DEV_RAMFS;
	n->vfs.ino = vfs_ino_next();
	n->vfs.mode = mode;
	n->vfs.priv = n;
	if (S_ISDIR(mode)) {
		n->vfs.size = 2;
		n->vfs.parent = dir ? &dir->vfs : &n->vfs;
	}
	node_touch(n, true);
}

/* Count the links a new entry for n in dir makes: its own, and a directory's "." and "..". */
static void node_linked(struct ramfs_node *dir, struct ramfs_node *n)
{
	inode_link(&n->vfs);
	if (S_ISDIR(n->vfs.mode)) {
		inode_link(&n->vfs);
		inode_link(&dir->vfs);
	}
}

/*
 * Drop the links of n's entry in dir, gone: a removed directory's ".."
 * becomes itself, as nothing keeps its old parent alive. The caller holds
 * a reference, so n is not evicted here.
 */
static void node_unlinked(struct ramfs_node *dir, struct ramfs_node *n)
{
	if (S_ISDIR(n->vfs.mode)) {
		inode_parent_set(&n->vfs, &n->vfs);
		inode_unlink(&dir->vfs);
		inode_unlink(&n->vfs);
	}
	inode_unlink(&n->vfs);
	node_touch(n, false);
}

/* A component length the slots can hold (vfs checks it first). */
static int name_check(size_t len)
{
	return len == 0 ? -ENOENT : len > CALF_NAME_MAX ? -ENAMETOOLONG : 0;
}

/* inode_ops.lookup (vfs.h): the entry name of a directory, held. */
static int ramfs_lookup(struct inode *dino, const char *name, size_t len, struct inode **out)
{
	if (!S_ISDIR(dino->mode))
		return -ENOTDIR;
	struct dir_pos at, fr;
	mm_mutex_lock(&fs.lock);
	struct dir_slot *s = dir_find(node_of(dino), name, len, &at, &fr);
	if (s) {
		inode_hold(&s->node->vfs);
		*out = &s->node->vfs;
	}
	mm_mutex_unlock(&fs.lock);
	return s ? 0 : -ENOENT;
}

/* Make the node for a new entry name at fr in dir, held. fs.lock held. */
static int create_locked(struct ramfs_node *dir, const struct dir_pos *fr, const char *name,
			 size_t len, uint32_t mode, struct ramfs_node **out)
{
	mm_mutex_assert_held(&fs.lock);
	struct ramfs_node *n;
	struct dir_free slot;
	int err = node_alloc(&n);
	if (err)
		return err;
	err = dir_slot_get(dir, fr, &slot);
	if (err) {
		node_free(n);
		return err;
	}
	node_init(n, mode, dir);
	dir_slot_fill(dir, &slot, name, len, n);
	node_linked(dir, n);
	inode_hold(&n->vfs);
	*out = n;
	return 0;
}

/* inode_ops.create: a new regular file or directory, held. */
static int ramfs_create(struct inode *dino, const char *name, size_t len, uint32_t mode,
			struct inode **out)
{
	if (!S_ISDIR(dino->mode))
		return -ENOTDIR;
	if (!S_ISREG(mode) && !S_ISDIR(mode))
		return -EINVAL; /* no device nodes or FIFOs here */
	int err = name_check(len);
	if (err)
		return err;
	struct ramfs_node *dir = node_of(dino), *n;
	struct dir_pos at, fr;
	mm_mutex_lock(&fs.lock);
	if (!dino->nlink)
		err = -ENOENT; /* a removed directory takes no entries (POSIX open(), mkdir()) */
	else if (dir_find(dir, name, len, &at, &fr))
		err = -EEXIST;
	else
		err = create_locked(dir, &fr, name, len, mode, &n);
	mm_mutex_unlock(&fs.lock);
	if (!err)
		*out = &n->vfs;
	return err;
}

/* Whether n may be removed by unlink (rmdir false) or rmdir: 0 or the errno POSIX names. */
static int remove_check(const struct ramfs_node *n, bool rmdir)
{
	bool isdir = S_ISDIR(n->vfs.mode);
	if (rmdir && !isdir)
		return -ENOTDIR;
	if (!rmdir && isdir)
		return -EISDIR; /* POSIX allows EPERM; Linux and the inode_ops contract say EISDIR */
	if (isdir && n->vfs.mounted)
		return -EBUSY;
	if (isdir && n->entries)
		return -ENOTEMPTY;
	return 0;
}

/* inode_ops.remove: unlink or rmdir; a removed file lives on while held. */
static int ramfs_remove(struct inode *dino, const char *name, size_t len, bool rmdir)
{
	if (!S_ISDIR(dino->mode))
		return -ENOTDIR;
	struct ramfs_node *dir = node_of(dino), *n = NULL;
	struct dir_pos at, fr;
	mm_mutex_lock(&fs.lock);
	struct dir_slot *s = dir_find(dir, name, len, &at, &fr);
	int err = s ? remove_check(s->node, rmdir) : -ENOENT;
	if (!err) {
		n = s->node;
		inode_hold(&n->vfs); /* so a big file is evicted after the lock goes, not under it */
		dir_slot_clear(dir, &at);
		node_unlinked(dir, n);
	}
	mm_mutex_unlock(&fs.lock);
	if (n)
		inode_put(&n->vfs);
	return err;
}

/* True when dir is d or lies below it (parents are stable under fs.lock). */
static bool dir_within(const struct inode *dir, const struct inode *d)
{
	for (;;) {
		if (dir == d)
			return true;
		if (dir->parent == dir)
			return false;
		dir = dir->parent;
	}
}

/* Whether src may replace tgt (NULL: none) in ndir: 0 or the errno POSIX rename() names. */
static int rename_check(const struct ramfs_node *src, const struct ramfs_node *tgt,
			const struct ramfs_node *ndir)
{
	if (src->vfs.mounted || (tgt && tgt->vfs.mounted))
		return -EBUSY;
	if (S_ISDIR(src->vfs.mode)) {
		if (tgt && !S_ISDIR(tgt->vfs.mode))
			return -ENOTDIR;
		if (dir_within(&ndir->vfs, &src->vfs))
			return -EINVAL; /* a directory into its own subtree */
		if (tgt && tgt->entries)
			return -ENOTEMPTY;
	} else if (tgt && S_ISDIR(tgt->vfs.mode)) {
		return -EISDIR;
	}
	return 0;
}

/* The links rename changes: src's ".." moves from odir to ndir. fs.lock held. */
static void rename_relink(struct ramfs_node *odir, struct ramfs_node *ndir, struct ramfs_node *src)
{
	if (S_ISDIR(src->vfs.mode) && odir != ndir) {
		inode_link(&ndir->vfs);
		inode_parent_set(&src->vfs, &ndir->vfs); /* before odir's link goes: ".." never dangles */
		inode_unlink(&odir->vfs);
	}
	node_touch(src, false);
}

/* rename() once both names are found and checked: nothing can fail after the new slot. */
static int rename_locked(struct ramfs_node *odir, const struct dir_pos *oat, struct ramfs_node *ndir,
			 const char *nname, size_t nlen, struct dir_slot *tslot,
			 const struct dir_pos *fr, struct ramfs_node *src)
{
	mm_mutex_assert_held(&fs.lock);
	struct ramfs_node *tgt = tslot ? tslot->node : NULL;
	if (tgt) {
		tslot->node = src; /* same name: the slot changes hands */
		node_touch(ndir, true);
		node_unlinked(ndir, tgt);
	} else {
		struct dir_free slot;
		int err = dir_slot_get(ndir, fr, &slot);
		if (err)
			return err;
		dir_slot_fill(ndir, &slot, nname, nlen, src);
	}
	dir_slot_clear(odir, oat);
	rename_relink(odir, ndir, src);
	return 0;
}

/* inode_ops.rename, as POSIX rename(): the target, if any, is replaced whole or not at all. */
static int ramfs_rename(struct inode *odino, const char *oname, size_t olen, struct inode *ndino,
			const char *nname, size_t nlen)
{
	if (!S_ISDIR(odino->mode) || !S_ISDIR(ndino->mode))
		return -ENOTDIR;
	int err = name_check(nlen);
	if (err)
		return err;
	struct ramfs_node *odir = node_of(odino), *ndir = node_of(ndino), *tgt = NULL;
	struct dir_pos oat, nat, fr, ofr;
	mm_mutex_lock(&fs.lock);
	struct dir_slot *os = dir_find(odir, oname, olen, &oat, &ofr);
	struct dir_slot *ns = dir_find(ndir, nname, nlen, &nat, &fr);
	bool same = os && ns && ns->node == os->node; /* POSIX: then nothing to do */
	if (!os || !odino->nlink || !ndino->nlink)
		err = -ENOENT;
	else if (!same)
		err = rename_check(os->node, ns ? ns->node : NULL, ndir);
	if (!err && !same) {
		tgt = ns ? ns->node : NULL;
		if (tgt)
			inode_hold(&tgt->vfs); /* evicted after the lock goes */
		err = rename_locked(odir, &oat, ndir, nname, nlen, ns, &fr, os->node);
	}
	mm_mutex_unlock(&fs.lock);
	if (tgt)
		inode_put(&tgt->vfs);
	return err;
}

/* inode_ops.name_of: the name under which dir holds child (getcwd). */
static int ramfs_name_of(struct inode *dino, const struct inode *child, char *buf)
{
	if (!S_ISDIR(dino->mode))
		return -ENOTDIR;
	struct ramfs_node *dir = node_of(dino);
	int err = -ENOENT;
	mm_mutex_lock(&fs.lock);
	for (uint32_t pg = 0; pg < dir->dir_pages && err; pg++) {
		struct dir_slot *s = dir_page(dir, pg);
		for (uint32_t i = 0; s && i < DIR_SLOTS; i++) {
			if (s[i].node && &s[i].node->vfs == child) {
				memcpy(buf, s[i].name, s[i].len);
				buf[s[i].len] = '\0';
				err = 0;
				break;
			}
		}
	}
	mm_mutex_unlock(&fs.lock);
	return err;
}

/* inode_ops.open: a directory only for reading. */
static int ramfs_open(struct inode *ino, struct file *f)
{
	if (S_ISDIR(ino->mode)) {
		if ((f->flags & O_ACCMODE) != O_RDONLY)
			return -EISDIR; /* POSIX open(): a directory opened for writing */
		f->ops = &ramfs_dir_ops;
	} else {
		f->ops = &ramfs_file_ops;
	}
	return 0;
}

/* inode_ops.truncate: cut (freeing pages) or extend (a hole) a regular file. */
static int ramfs_truncate(struct inode *ino, uint32_t size)
{
	if (S_ISDIR(ino->mode))
		return -EISDIR;
	if (size > RAMFS_FILE_MAX)
		return -EFBIG; /* POSIX ftruncate(): beyond the maximum file size */
	struct ramfs_node *n = node_of(ino);
	mm_mutex_lock(&n->io);
	if (size < ino->size) {
		/* Bytes past the size stay zero, so a later extension reads zeroes. */
		uint8_t *tail = (size & PAGE_MASK) ? page_find(n, size >> PAGE_SHIFT) : NULL;
		if (tail)
			memset(tail + (size & PAGE_MASK), 0, PAGE_SIZE - (size & PAGE_MASK));
		tree_cut(n, (uint32_t)(page_round((vaddr_t)size) >> PAGE_SHIFT));
	}
	ino->size = size;
	node_touch(n, true);
	mm_mutex_unlock(&n->io);
	return 0;
}

/* inode_ops.evict: free every frame of ino, and ino. Takes no sleeping lock. */
static void ramfs_evict(struct inode *ino)
{
	struct ramfs_node *n = node_of(ino);
	tree_cut(n, 0);
	node_free(n);
}

static const struct inode_ops ramfs_iops = {
	.lookup = ramfs_lookup,
	.create = ramfs_create,
	.remove = ramfs_remove,
	.rename = ramfs_rename,
	.open = ramfs_open,
	.truncate = ramfs_truncate,
	.evict = ramfs_evict,
	.name_of = ramfs_name_of,
};

static const struct file_ops ramfs_file_ops = {
	.read = file_read,
	.write = file_write,
	.seekable = true,
};

static const struct file_ops ramfs_dir_ops = {
	.read = dir_read,
	.getdents = dir_getdents,
	.seekable = true,
};

struct inode *ramfs_root_create(void)
{
	struct frame_stats st;
	frame_stats_get(&st);
	memset(&fs, 0, sizeof(fs));
	fs.limit = st.total / RAMFS_SHARE_DIV;
	struct ramfs_node *root;
	if (node_alloc(&root))
		return NULL;
	node_init(root, S_IFDIR | 0755, NULL);
	inode_link(&root->vfs); /* "." */
	inode_link(&root->vfs); /* "..", itself */
	inode_hold(&root->vfs);
	return &root->vfs;
}

void ramfs_stats_get(struct ramfs_stats *st)
{
	mm_lock_acquire(&fs.alloc);
	st->frames = fs.frames;
	st->limit = fs.limit;
	st->nodes = fs.nodes;
	mm_lock_release(&fs.alloc);
}
