/*
 * ramfs.h - the RAM filesystem at "/": directories and regular files whose
 * every byte of storage (file data, the index pages that find it, inodes,
 * directory entries) lives in frames of the frame table, taken uncharged
 * (frame_alloc_uncharged) and counted in calf_meminfo like any other use.
 *
 * Capacity: the filesystem holds at most RAMFS_SHARE_DIV-th of the frames
 * the kernel manages (half, as Linux's tmpfs defaults to), so a runaway
 * writer (`cat /dev/zero > /tmp/x`) gets ENOSPC with the rest of RAM still
 * there for processes. ENOSPC also comes earlier when no frame is free, or
 * when strict commit accounting refuses an uncharged frame.
 *
 * Files are sparse: a page never written is a hole that reads as zeroes and
 * holds no frame. A file's pages hang from a radix tree of at most two
 * index pages deep (1024 frame addresses each): one page lookup is at most
 * three reads, whatever the file's size; files grow to RAMFS_FILE_MAX.
 */
#ifndef CALF_KERNEL_RAMFS_H
#define CALF_KERNEL_RAMFS_H

#include <stdint.h>

struct inode;

/* One frame in this many of the frame table may hold filesystem data. */
#define RAMFS_SHARE_DIV 2u

/* Largest file size: what newlib's 32-bit off_t can reach. */
#define RAMFS_FILE_MAX 0x7fffffffu

/* What the filesystem holds now (tests, meminfo-style reports). */
struct ramfs_stats {
	uint32_t frames; /* frames held: data, index and directory pages, inode slabs */
	uint32_t limit;  /* the most it may hold */
	uint32_t nodes;  /* inodes alive */
};

/*
 * Start the filesystem (its limit is set from the frame table's size now)
 * and make its root directory, held once for the caller, ".." itself.
 * Returns NULL only when not one frame is free (boot cannot go on).
 */
struct inode *ramfs_root_create(void);

/* Snapshot of the counters. */
void ramfs_stats_get(struct ramfs_stats *st);

#endif
