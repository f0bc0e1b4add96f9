/*
 * file.c - open files, descriptor tables and the system calls that work on
 * descriptors alone (read, write, close, dup, dup2, fcntl, lseek, fstat,
 * getdents, ioctl, ftruncate).
 */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "syscall.h"
#include "task.h"
#include "vfs.h"

/* Open files in the whole system: POSIX's ENFILE limit. */
#define FILE_MAX 256

static struct file file_pool[FILE_MAX];
/* The free records, linked through priv: taking one is O(1) under the lock. */
static struct file *file_free;
/* Guards refs of every file and the free list. */
static struct mm_lock file_lock;

void file_table_init(void)
{
	for (int i = FILE_MAX - 1; i >= 0; i--) {
		file_pool[i].priv = file_free;
		file_free = &file_pool[i];
	}
}

int file_alloc(struct inode *ino, const struct file_ops *ops, uint32_t flags, struct file **out)
{
	mm_lock_acquire(&file_lock);
	struct file *f = file_free;
	if (f) {
		file_free = f->priv;
		f->refs = 1;
	}
	mm_lock_release(&file_lock);
	if (!f)
		return -ENFILE;
	f->ops = ops;
	f->inode = ino;
	f->priv = NULL;
	f->flags = flags;
	f->pos = 0;
	inode_hold(ino);
	*out = f;
	return 0;
}

void file_hold(struct file *f)
{
	mm_lock_acquire(&file_lock);
	f->refs++;
	mm_lock_release(&file_lock);
}

void file_put(struct file *f)
{
	mm_lock_acquire(&file_lock);
	bool last = --f->refs == 0;
	if (last)
		f->refs = 1; /* keep the record taken until it is torn down below */
	mm_lock_release(&file_lock);
	if (!last)
		return;
	if (f->ops && f->ops->release)
		f->ops->release(f);
	inode_put(f->inode);
	f->ops = NULL;
	f->inode = NULL;
	mm_lock_acquire(&file_lock);
	f->refs = 0;
	f->priv = file_free;
	file_free = f;
	mm_lock_release(&file_lock);
}

bool file_readable(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

bool file_writable(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY;
}

/* Descriptor tables: one per process, so TASK_MAX always suffice. */
static struct fdtable fdtable_pool[TASK_MAX];
/* Guards refs of every table (a table is free at refs 0). */
static struct mm_lock fdtable_lock;

/* A free table with refs = 1 and nothing in it, or NULL. Bounded by TASK_MAX. */
static struct fdtable *fd_table_alloc(void)
{
	struct fdtable *ft = NULL;
	mm_lock_acquire(&fdtable_lock);
	for (int i = 0; i < TASK_MAX && !ft; i++)
		if (fdtable_pool[i].refs == 0)
			ft = &fdtable_pool[i];
	if (ft)
		ft->refs = 1;
	mm_lock_release(&fdtable_lock);
	if (ft) {
		memset(ft->fd, 0, sizeof(ft->fd));
		ft->cloexec = 0;
		ft->cwd = NULL;
	}
	return ft;
}

/* The lowest free descriptor of ft at or above from, or -EMFILE; ft's lock held. */
static int fd_free_slot_locked(const struct fdtable *ft, int from)
{
	for (int fd = from; fd < CALF_OPEN_MAX; fd++)
		if (!ft->fd[fd])
			return fd;
	return -EMFILE;
}

/* Point slot fd of ft at f with its close-on-exec bit; returns what it held. ft's lock held. */
static struct file *fd_swap_locked(struct fdtable *ft, int fd, struct file *f, bool cloexec)
{
	struct file *old = ft->fd[fd];
	ft->fd[fd] = f;
	if (cloexec)
		ft->cloexec |= 1u << fd;
	else
		ft->cloexec &= ~(1u << fd);
	return old;
}

/*
 * Put f (reference taken over) at the lowest free descriptor at or above
 * from, or at exactly fd_at when it is not negative, closing what that
 * held. Returns the descriptor or -EMFILE (f is dropped then).
 */
static int fd_place(struct file *f, int from, int fd_at, bool cloexec)
{
	struct fdtable *ft = current->files;
	mm_lock_acquire(&ft->lock);
	int fd = fd_at >= 0 ? fd_at : fd_free_slot_locked(ft, from);
	struct file *old = fd >= 0 ? fd_swap_locked(ft, fd, f, cloexec) : f;
	mm_lock_release(&ft->lock);
	if (old)
		file_put(old); /* may sleep: outside the spinlock */
	return fd;
}

int fd_install(struct file *f, bool cloexec)
{
	return fd_place(f, 0, -1, cloexec);
}

void fd_uninstall(int fd, struct file *f)
{
	struct fdtable *ft = current->files;
	mm_lock_acquire(&ft->lock);
	bool ours = ft->fd[fd] == f;
	if (ours)
		fd_swap_locked(ft, fd, NULL, false);
	mm_lock_release(&ft->lock);
	if (ours)
		file_put(f);
}

struct file *fd_get(int fd)
{
	if (fd < 0 || fd >= CALF_OPEN_MAX)
		return NULL;
	struct fdtable *ft = current->files;
	mm_lock_acquire(&ft->lock);
	struct file *f = ft->fd[fd];
	if (f)
		file_hold(f); /* before a sibling thread's close can drop the table's reference */
	mm_lock_release(&ft->lock);
	return f;
}

/* Copy from's slots and working directory into the empty table to, holding each. */
static void fd_table_copy(struct fdtable *to, struct fdtable *from)
{
	mm_lock_acquire(&from->lock);
	memcpy(to->fd, from->fd, sizeof(to->fd));
	to->cloexec = from->cloexec;
	to->cwd = from->cwd;
	/* Constant: CALF_OPEN_MAX holds, each a short spinlock section. */
	for (int fd = 0; fd < CALF_OPEN_MAX; fd++)
		if (to->fd[fd])
			file_hold(to->fd[fd]);
	if (to->cwd)
		inode_hold(to->cwd);
	mm_lock_release(&from->lock);
}

int fd_table_clone(struct task *child, struct task *parent, bool share)
{
	if (share) {
		mm_lock_acquire(&fdtable_lock);
		parent->files->refs++;
		mm_lock_release(&fdtable_lock);
		child->files = parent->files;
		return 0;
	}
	struct fdtable *ft = fd_table_alloc();
	if (!ft)
		return -EAGAIN;
	fd_table_copy(ft, parent->files);
	child->files = ft;
	return 0;
}

/* Close descriptor fd of ft if open; -EBADF if not. */
static int fd_close_slot(struct fdtable *ft, int fd)
{
	mm_lock_acquire(&ft->lock);
	struct file *f = fd_swap_locked(ft, fd, NULL, false);
	mm_lock_release(&ft->lock);
	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

void fd_table_exec(struct task *t)
{
	for (int fd = 0; fd < CALF_OPEN_MAX; fd++)
		if (t->files->cloexec & (1u << fd))
			fd_close_slot(t->files, fd);
}

void fd_table_release(struct task *t)
{
	struct fdtable *ft = t->files;
	if (!ft)
		return;
	t->files = NULL;
	mm_lock_acquire(&fdtable_lock);
	bool last = ft->refs == 1;
	if (!last)
		ft->refs--;
	mm_lock_release(&fdtable_lock);
	if (!last)
		return;
	/* Nobody else reaches ft now: no lock; close preemptibly, then give the slot back. */
	for (int fd = 0; fd < CALF_OPEN_MAX; fd++) {
		struct file *f = ft->fd[fd];
		ft->fd[fd] = NULL;
		if (f)
			file_put(f);
	}
	ft->cloexec = 0;
	if (ft->cwd)
		inode_put(ft->cwd);
	ft->cwd = NULL;
	mm_lock_acquire(&fdtable_lock);
	ft->refs = 0;
	mm_lock_release(&fdtable_lock);
}

int fd_table_open_console(struct task *t)
{
	t->files = fd_table_alloc();
	if (!t->files)
		return -EAGAIN;
	struct inode *dev;
	int err = vfs_lookup("/dev/console", &dev);
	struct file *f = NULL;
	if (!err) {
		err = file_alloc(dev, NULL, O_RDWR, &f);
		if (!err)
			err = dev->ops->open(dev, f);
		inode_put(dev);
	}
	if (err) {
		if (f)
			file_put(f);
		fd_table_release(t);
		return err;
	}
	for (int fd = 0; fd < 3; fd++) {
		file_hold(f);
		t->files->fd[fd] = f; /* nobody else sees t's table yet */
	}
	file_put(f);
	return 0;
}

struct inode *fd_table_cwd_get(void)
{
	struct fdtable *ft = current->files;
	mm_lock_acquire(&ft->lock);
	struct inode *dir = ft->cwd;
	if (dir)
		inode_hold(dir); /* before a sibling's chdir can put it */
	mm_lock_release(&ft->lock);
	return dir;
}

void fd_table_cwd_set(struct inode *dir)
{
	struct fdtable *ft = current->files;
	mm_lock_acquire(&ft->lock);
	struct inode *old = ft->cwd;
	ft->cwd = dir;
	mm_lock_release(&ft->lock);
	if (old)
		inode_put(old);
}

/* Take f's offset lock if f has an offset (a pipe or terminal has none, and pays nothing). */
static void file_pos_lock(struct file *f)
{
	if (f->ops->seekable)
		mm_mutex_lock(&f->pos_lock);
}

static void file_pos_unlock(struct file *f)
{
	if (f->ops->seekable)
		mm_mutex_unlock(&f->pos_lock);
}

/* The calls on one descriptor: each takes a reference for its duration (a sibling thread may close it). */

#define ARG(i) arch_tf_arg(tf, i)

int32_t sys_read(const struct trapframe *tf)
{
	struct file *f = fd_get((int)ARG(0));
	if (!f)
		return -EBADF;
	size_t len = ARG(2);
	int r;
	if (!file_readable(f))
		r = -EBADF;
	else if (len > INT32_MAX)
		r = -EINVAL;
	else if (S_ISDIR(f->inode->mode))
		r = -EISDIR;
	else if (!f->ops->read)
		r = -EINVAL;
	else {
		file_pos_lock(f);
		r = len ? f->ops->read(f, ARG(1), len) : 0;
		file_pos_unlock(f);
	}
	file_put(f);
	return r;
}

int32_t sys_write(const struct trapframe *tf)
{
	struct file *f = fd_get((int)ARG(0));
	if (!f)
		return -EBADF;
	size_t len = ARG(2);
	int r;
	if (!file_writable(f))
		r = -EBADF;
	else if (len > INT32_MAX)
		r = -EINVAL;
	else if (!f->ops->write)
		r = -EINVAL;
	else {
		file_pos_lock(f);
		r = len ? f->ops->write(f, ARG(1), len) : 0;
		file_pos_unlock(f);
	}
	file_put(f);
	return r;
}

int32_t sys_close(const struct trapframe *tf)
{
	int fd = (int)ARG(0);
	if (fd < 0 || fd >= CALF_OPEN_MAX)
		return -EBADF;
	return fd_close_slot(current->files, fd);
}

/* Duplicate fd at the lowest free descriptor at or above from. */
static int fd_dup_from(int fd, int from, bool cloexec)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (from < 0 || from >= CALF_OPEN_MAX) {
		file_put(f);
		return -EINVAL;
	}
	return fd_place(f, from, -1, cloexec);
}

int32_t sys_dup(const struct trapframe *tf)
{
	return fd_dup_from((int)ARG(0), 0, false);
}

int32_t sys_dup2(const struct trapframe *tf)
{
	int fd = (int)ARG(0), nfd = (int)ARG(1);
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (nfd < 0 || nfd >= CALF_OPEN_MAX) {
		file_put(f);
		return -EBADF; /* POSIX: newfd out of range is EBADF */
	}
	if (nfd == fd) {
		file_put(f);
		return nfd; /* POSIX: nothing closes, FD_CLOEXEC stays */
	}
	return fd_place(f, 0, nfd, false); /* closes what nfd held, after f is safely referenced */
}

/* Set descriptor fd's close-on-exec bit, if fd still names f (a sibling may have closed it). */
static void fd_cloexec_set(struct fdtable *ft, int fd, const struct file *f, bool on)
{
	mm_lock_acquire(&ft->lock);
	if (ft->fd[fd] == f) {
		if (on)
			ft->cloexec |= 1u << fd;
		else
			ft->cloexec &= ~(1u << fd);
	}
	mm_lock_release(&ft->lock);
}

int32_t sys_fcntl(const struct trapframe *tf)
{
	int fd = (int)ARG(0);
	int cmd = (int)ARG(1);
	uintptr_t arg = ARG(2);
	if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
		return fd_dup_from(fd, (int)arg, cmd == F_DUPFD_CLOEXEC);
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	int r = 0;
	switch (cmd) {
	case F_GETFD:
		r = (current->files->cloexec >> fd) & 1u ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		fd_cloexec_set(current->files, fd, f, arg & FD_CLOEXEC);
		break;
	case F_GETFL:
		r = (int)f->flags;
		break;
	case F_SETFL:
		/* A single word store: readers see the old flags or the new ones. */
		f->flags = (f->flags & ~(uint32_t)FILE_SETFL_MASK) | ((uint32_t)arg & FILE_SETFL_MASK);
		break;
	default:
		r = -EINVAL;
	}
	file_put(f);
	return r;
}

int32_t sys_lseek(const struct trapframe *tf)
{
	struct file *f = fd_get((int)ARG(0));
	if (!f)
		return -EBADF;
	int32_t off = (int32_t)ARG(1);
	int whence = (int)ARG(2);
	int64_t base;
	int r;
	if (!f->ops->seekable) {
		r = -ESPIPE;
		goto out;
	}
	file_pos_lock(f);
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = f->pos; break;
	case SEEK_END: base = f->inode->size; break;
	default: base = -1;
	}
	int64_t pos = base + off;
	if (base < 0 || pos < 0)
		r = -EINVAL;
	else if (pos > INT32_MAX)
		r = -EOVERFLOW;
	else
		f->pos = (uint32_t)pos, r = (int)pos;
	file_pos_unlock(f);
out:
	file_put(f);
	return r;
}

int32_t sys_fstat(const struct trapframe *tf)
{
	struct file *f = fd_get((int)ARG(0));
	if (!f)
		return -EBADF;
	struct stat st;
	vfs_stat_fill(f->inode, &st);
	file_put(f);
	return vm_copyout(current->vs, ARG(1), &st, sizeof(st));
}

int32_t sys_getdents(const struct trapframe *tf)
{
	struct file *f = fd_get((int)ARG(0));
	if (!f)
		return -EBADF;
	size_t len = ARG(2);
	int r;
	if (!f->ops->getdents)
		r = -ENOTDIR;
	else if (len < sizeof(struct calf_dirent))
		r = -EINVAL; /* POSIX getdents: the buffer holds no record */
	else {
		file_pos_lock(f);
		r = f->ops->getdents(f, ARG(1), len > INT32_MAX ? INT32_MAX : len);
		file_pos_unlock(f);
	}
	file_put(f);
	return r;
}

int32_t sys_ioctl(const struct trapframe *tf)
{
	struct file *f = fd_get((int)ARG(0));
	if (!f)
		return -EBADF;
	int r = f->ops->ioctl ? f->ops->ioctl(f, (unsigned)ARG(1), ARG(2)) : -ENOTTY;
	file_put(f);
	return r;
}

int32_t sys_ftruncate(const struct trapframe *tf)
{
	struct file *f = fd_get((int)ARG(0));
	if (!f)
		return -EBADF;
	int32_t len = (int32_t)ARG(1);
	int r;
	if (len < 0)
		r = -EINVAL;
	else if (!file_writable(f))
		r = -EBADF; /* POSIX: EBADF or EINVAL for a descriptor not open for writing */
	else if (!S_ISREG(f->inode->mode) || !f->inode->ops->truncate)
		r = -EINVAL;
	else
		r = f->inode->ops->truncate(f->inode, (uint32_t)len);
	file_put(f);
	return r;
}
