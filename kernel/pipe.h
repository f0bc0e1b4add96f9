/*
 * pipe.h - pipes: a bounded byte ring in one frame between two open files.
 *
 * pipe2() makes an anonymous FIFO inode (VFS_DEV_PIPEFS) and two files on
 * it, a read end and a write end; descriptors are counted references to
 * them, so fork and dup share an end. A reader blocks until there are
 * bytes or no write end is left (end of file); a writer blocks while the
 * ring is full. A write of at most CALF_PIPE_BUF bytes goes in whole and
 * never interleaved with another's; writing with no read end left gives
 * EPIPE and SIGPIPE. O_NONBLOCK turns every wait for bytes or room into
 * EAGAIN. Every wait is interruptible.
 *
 * The ring's frame is taken uncharged (it shows in calf_meminfo's
 * uncharged count) and goes back with the inode, when the last file of
 * either end is closed.
 */
#ifndef CALF_KERNEL_PIPE_H
#define CALF_KERNEL_PIPE_H

#include <mm/pmap.h>

/* Bytes a pipe holds: its frame. */
#define PIPE_SIZE PAGE_SIZE

/* Pipes that may exist at once (each a record here and a frame). */
#define PIPE_MAX 64

#endif
