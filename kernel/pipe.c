/*
 * pipe.c - pipes (see pipe.h).
 *
 * Locking: every field of a pipe but the ring's bytes changes under the
 * scheduler lock, for a few instructions (index arithmetic, a flag, at
 * most one 64-slot wakeup scan per waiting side), so waiting is the
 * check-and-block pattern of kernel/console.c and no wakeup is lost.
 * The bytes themselves move with interrupts on, straight between user
 * memory and the ring (vm_copyin/vm_copyout may sleep), inside a range
 * that only the copying task may touch:
 *
 * - one writer at a time holds the write side (p->writing): it reserves
 *   the free bytes after head that it will fill, copies, and only then
 *   publishes them by moving head. So a reserved write of n <= PIPE_BUF
 *   bytes appears whole, never interleaved with another writer's.
 * - one reader at a time holds the read side (p->reading): it copies out
 *   published bytes from tail and only then frees them by moving tail,
 *   so a failed copy (EFAULT) leaves them for the next read.
 *
 * A side is held only while bytes move, never while waiting for bytes or
 * room, so a task waiting for a side waits for a copy, not for input.
 */
#include "pipe.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include <mm/frame.h>
#include "file.h"
#include "sched.h"
#include "syscall.h"
#include "task.h"
#include "vfs.h"

#define PIPE_MASK (PIPE_SIZE - 1u)
_Static_assert((PIPE_SIZE & PIPE_MASK) == 0, "the ring wraps by mask");
_Static_assert(CALF_PIPE_BUF <= PIPE_SIZE, "an atomic write fits in an empty pipe");

struct pipe {
	struct inode inode;     /* fstat's; its eviction frees the pipe */
	char *ring;             /* the frame, through the direct map */
	paddr_t frame;
	uint32_t head, tail;    /* free-running: head the next byte written, tail the next read */
	uint16_t readers;       /* open files of the read end */
	uint16_t writers;       /* open files of the write end */
	struct task *reading;   /* the task copying bytes out, or NULL */
	struct task *writing;   /* the task copying bytes in, or NULL */
	bool rwait, wwait;      /* tasks sleep on readers' (writers') channel */
	bool used;              /* the record is taken */
};

/* The records; a pipe is a record and a frame. Taken and freed under the scheduler lock. */
static struct pipe pipes[PIPE_MAX];

/* Bytes published and not yet read. Lock held. */
static uint32_t pipe_count(const struct pipe *p)
{
	return p->head - p->tail;
}

/* Wake whoever sleeps on either side: bytes, room, a side or an end changed. Lock held. */
static void pipe_wake_locked(struct pipe *p, bool readers, bool writers)
{
	if (readers && p->rwait) {
		p->rwait = false;
		sched_wakeup_locked(&p->readers);
	}
	if (writers && p->wwait) {
		p->wwait = false;
		sched_wakeup_locked(&p->writers);
	}
}

/*
 * Become the reader of p once there is something to read, returning the
 * bytes available; or 0 (end of file: empty, no writer left, no side
 * taken), -EAGAIN (empty, O_NONBLOCK), -EINTR (a signal is pending).
 * Interruptible.
 */
static int pipe_read_claim(struct pipe *p, bool nonblock)
{
	uint32_t saved = sched_lock();
	int ret;
	for (;;) {
		bool ready = pipe_count(p) > 0 || p->writers == 0;
		if (ready && !p->reading) {
			ret = (int)pipe_count(p);
			if (ret)
				p->reading = current; /* at end of file there is nothing to copy */
			break;
		}
		/* A busy side is a copy in progress: worth waiting for even with O_NONBLOCK. */
		if (!ready && nonblock) {
			ret = -EAGAIN; /* POSIX read(): empty pipe, O_NONBLOCK */
			break;
		}
		if (current->pending_sig) {
			ret = -ERESTARTSYS; /* EINTR, or a restart with SA_RESTART (kernel/signal.h) */
			break;
		}
		p->rwait = true;
		sched_block_locked(&p->readers, true);
	}
	sched_unlock(saved);
	return ret;
}

/* Free the n bytes copied out and give up the read side. */
static void pipe_read_done(struct pipe *p, uint32_t n)
{
	uint32_t saved = sched_lock();
	p->tail += n;
	p->inode.size = pipe_count(p);
	p->reading = NULL;
	pipe_wake_locked(p, true, n > 0);
	sched_unlock(saved);
}

/* Copy n published bytes from the ring at tail to user buf (two pieces across the wrap). */
static int pipe_copyout(struct pipe *p, vaddr_t buf, uint32_t n)
{
	uint32_t off = p->tail & PIPE_MASK;
	uint32_t first = n < PIPE_SIZE - off ? n : PIPE_SIZE - off;
	int err = vm_copyout(current->vs, buf, p->ring + off, first);
	if (!err && n > first)
		err = vm_copyout(current->vs, buf + first, p->ring, n - first);
	return err;
}

/* file_ops.read of a read end: at most len bytes, 0 at end of file. */
static int pipe_read(struct file *f, vaddr_t buf, size_t len)
{
	struct pipe *p = f->priv;
	if (len == 0)
		return 0;
	int avail = pipe_read_claim(p, f->flags & O_NONBLOCK);
	if (avail <= 0)
		return avail; /* end of file, or -EAGAIN, -EINTR: no side taken */
	/* Only this task moves tail and writers only fill after head: these bytes hold still. */
	uint32_t n = len < (uint32_t)avail ? (uint32_t)len : (uint32_t)avail;
	int err = pipe_copyout(p, buf, n);
	pipe_read_done(p, err ? 0 : n); /* a bad buffer leaves the bytes for the next read */
	return err ? err : (int)n;
}

/*
 * Become the writer of p once at least need bytes are free. Returns the
 * bytes free, or -EPIPE (no reader), -EAGAIN (O_NONBLOCK and not enough
 * room), -EINTR. Interruptible.
 */
static int pipe_write_claim(struct pipe *p, uint32_t need, bool nonblock)
{
	uint32_t saved = sched_lock();
	int ret;
	for (;;) {
		uint32_t room = PIPE_SIZE - pipe_count(p);
		if (p->readers == 0) {
			ret = -EPIPE;
			break;
		}
		if (room >= need && !p->writing) {
			p->writing = current;
			ret = (int)room;
			break;
		}
		if (room < need && nonblock) {
			ret = -EAGAIN; /* POSIX write(): no room for the (atomic) write, O_NONBLOCK */
			break;
		}
		if (current->pending_sig) {
			ret = -ERESTARTSYS; /* EINTR, or a restart with SA_RESTART (kernel/signal.h) */
			break;
		}
		p->wwait = true;
		sched_block_locked(&p->writers, true);
	}
	sched_unlock(saved);
	return ret;
}

/* Publish the n bytes copied in and give up the write side. */
static void pipe_write_done(struct pipe *p, uint32_t n)
{
	uint32_t saved = sched_lock();
	p->head += n;
	p->inode.size = pipe_count(p);
	p->writing = NULL;
	pipe_wake_locked(p, n > 0, true);
	sched_unlock(saved);
}

/* Copy n bytes from user buf into the reserved ring after head (two pieces across the wrap). */
static int pipe_copyin(struct pipe *p, vaddr_t buf, uint32_t n, uint32_t *copied)
{
	uint32_t off = p->head & PIPE_MASK;
	uint32_t first = n < PIPE_SIZE - off ? n : PIPE_SIZE - off;
	*copied = 0;
	int err = vm_copyin(current->vs, p->ring + off, buf, first);
	if (err)
		return err;
	*copied = first;
	if (n > first) {
		err = vm_copyin(current->vs, p->ring, buf + first, n - first);
		if (!err)
			*copied = n;
	}
	return err;
}

/*
 * POSIX write() to a pipe with no reader: EPIPE, and SIGPIPE to the
 * writer (which dies of it on its way out unless it ignores it).
 */
static int pipe_broken(void)
{
	task_kill(current->pid, SIGPIPE);
	return -EPIPE;
}

/*
 * file_ops.write of a write end. A write of at most CALF_PIPE_BUF bytes
 * waits for room for all of it and goes in at once; a longer one goes in
 * as room appears, possibly between other writers' (POSIX allows it).
 * Returns len, or fewer when interrupted, O_NONBLOCK, EPIPE or EFAULT
 * came after some bytes went in; else -errno.
 */
static int pipe_write(struct file *f, vaddr_t buf, size_t len)
{
	struct pipe *p = f->priv;
	bool nonblock = f->flags & O_NONBLOCK;
	uint32_t atomic = len <= CALF_PIPE_BUF ? (uint32_t)len : 1;
	size_t done = 0;
	while (done < len) {
		int room = pipe_write_claim(p, done ? 1 : atomic, nonblock);
		if (room == -EPIPE)
			room = pipe_broken();
		if (room < 0)
			return done ? (int)done : room;
		uint32_t n = len - done < (uint32_t)room ? (uint32_t)(len - done) : (uint32_t)room;
		uint32_t copied;
		int err = pipe_copyin(p, buf + done, n, &copied);
		pipe_write_done(p, copied);
		done += copied;
		if (err)
			return done ? (int)done : err;
	}
	return (int)len;
}

/* Close one end: the last writer gone is end of file, the last reader gone is EPIPE. */
static void pipe_end_close(struct pipe *p, bool reader)
{
	uint32_t saved = sched_lock();
	if (reader)
		p->readers--;
	else
		p->writers--;
	pipe_wake_locked(p, !reader && p->writers == 0, reader && p->readers == 0);
	sched_unlock(saved);
}

static void pipe_read_release(struct file *f)
{
	pipe_end_close(f->priv, true);
}

static void pipe_write_release(struct file *f)
{
	pipe_end_close(f->priv, false);
}

static const struct file_ops pipe_read_ops = {
	.read = pipe_read,
	.release = pipe_read_release,
};

static const struct file_ops pipe_write_ops = {
	.write = pipe_write,
	.release = pipe_write_release,
};

/* The last reference to the pipe's inode went: give back the frame and the record. */
static void pipe_evict(struct inode *ino)
{
	struct pipe *p = ino->priv;
	frame_unref(p->frame);
	uint32_t saved = sched_lock();
	p->used = false;
	sched_unlock(saved);
}

static const struct inode_ops pipe_inode_ops = {
	.evict = pipe_evict,
};

/* Take a free record, or NULL. */
static struct pipe *pipe_record_take(void)
{
	uint32_t saved = sched_lock();
	struct pipe *p = NULL;
	for (int i = 0; i < PIPE_MAX && !p; i++) {
		if (!pipes[i].used) {
			p = &pipes[i];
			p->used = true;
		}
	}
	sched_unlock(saved);
	return p;
}

/*
 * A new pipe with no end open yet, its inode holding one reference (the
 * caller's, to drop once the ends hold theirs). 0, -ENFILE (no record),
 * -ENOMEM (no frame).
 */
static int pipe_create(struct pipe **out)
{
	struct pipe *p = pipe_record_take();
	if (!p)
		return -ENFILE; /* POSIX pipe(): a system-wide limit */
	paddr_t pa;
	/* Not charged to a space: an uncharged frame, so strict commit keeps it off promised ones. */
	if (frame_alloc_uncharged(&pa, false)) {
		uint32_t saved = sched_lock();
		p->used = false;
		sched_unlock(saved);
		return -ENOMEM;
	}
	/* Nobody else reaches a taken record until it is installed. */
	memset(p, 0, offsetof(struct pipe, used));
	p->frame = pa;
	p->ring = pmap_kva(pa);
	p->inode.ops = &pipe_inode_ops;
	p->inode.dev = VFS_DEV_PIPEFS;
	p->inode.ino = vfs_ino_next();
	p->inode.mode = S_IFIFO | 0600;
	p->inode.refs = 1;
	p->inode.priv = p;
	*out = p;
	return 0;
}

/* Open both ends of p as files; the ends are counted before either file can be released. */
static int pipe_files_open(struct pipe *p, uint32_t flags, struct file **rf, struct file **wf)
{
	p->readers = p->writers = 1;
	int err = file_alloc(&p->inode, &pipe_read_ops, O_RDONLY | flags, rf);
	if (err) {
		*rf = NULL;
		return err; /* no file will release the ends: nothing else refers to p */
	}
	(*rf)->priv = p;
	err = file_alloc(&p->inode, &pipe_write_ops, O_WRONLY | flags, wf);
	if (err) {
		*wf = NULL;
		return err;
	}
	(*wf)->priv = p;
	return 0;
}

/* Install rf and wf (taking over their references) and copy the two descriptors to fds_uva. */
static int pipe_fds_install(struct file *rf, struct file *wf, bool cloexec, vaddr_t fds_uva)
{
	/* Our own references keep both records ours, so fd_uninstall's check is exact. */
	file_hold(rf);
	file_hold(wf);
	int fds[2], err = 0;
	fds[0] = fd_install(rf, cloexec);
	fds[1] = fds[0] < 0 ? -1 : fd_install(wf, cloexec);
	if (fds[0] < 0) {
		file_put(wf); /* -EMFILE; rf was dropped */
		err = fds[0];
	} else if (fds[1] < 0) {
		fd_uninstall(fds[0], rf);
		err = fds[1];
	} else if (vm_copyout(current->vs, fds_uva, fds, sizeof(fds))) {
		fd_uninstall(fds[1], wf);
		fd_uninstall(fds[0], rf);
		err = -EFAULT;
	}
	file_put(rf);
	file_put(wf);
	return err;
}

/* (int fds[2], flags O_CLOEXEC|O_NONBLOCK): a pipe, fds[0] its read end, fds[1] its write end. */
int32_t sys_pipe2(const struct trapframe *tf)
{
	vaddr_t fds_uva = arch_tf_arg(tf, 0);
	uint32_t flags = (uint32_t)arch_tf_arg(tf, 1);
	if (flags & ~(uint32_t)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL; /* POSIX pipe2(): invalid flags */
	struct pipe *p;
	int err = pipe_create(&p);
	if (err)
		return err;
	struct file *rf, *wf;
	err = pipe_files_open(p, flags & O_NONBLOCK, &rf, &wf);
	if (err) {
		if (rf)
			file_put(rf); /* releases the read end; the write end is counted by hand */
		uint32_t saved = sched_lock();
		p->writers = 0;
		sched_unlock(saved);
		inode_put(&p->inode); /* the last reference: evicts p */
		return err;
	}
	inode_put(&p->inode); /* the two files hold the inode now */
	return pipe_fds_install(rf, wf, flags & O_CLOEXEC, fds_uva);
}
