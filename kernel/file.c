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

/* The lowest free descriptor of t at or above from, or -EMFILE. */
static int fd_free_slot(const struct task *t, int from)
{
	for (int fd = from; fd < CALF_OPEN_MAX; fd++)
		if (!t->files.fd[fd])
			return fd;
	return -EMFILE;
}

/* Point descriptor fd of the current task at f (reference taken over), closing what it held. */
static void fd_assign(int fd, struct file *f, bool cloexec)
{
	struct fdtable *ft = &current->files;
	struct file *old = ft->fd[fd];
	ft->fd[fd] = f;
	if (cloexec)
		ft->cloexec |= 1u << fd;
	else
		ft->cloexec &= ~(1u << fd);
	if (old)
		file_put(old);
}

int fd_install(struct file *f, bool cloexec)
{
	int fd = fd_free_slot(current, 0);
	if (fd < 0) {
		file_put(f);
		return fd;
	}
	fd_assign(fd, f, cloexec);
	return fd;
}

struct file *fd_get(int fd)
{
	if (fd < 0 || fd >= CALF_OPEN_MAX || !current->files.fd[fd])
		return NULL;
	struct file *f = current->files.fd[fd];
	file_hold(f);
	return f;
}

void fd_table_copy(struct task *child, const struct task *parent)
{
	child->files = parent->files;
	for (int fd = 0; fd < CALF_OPEN_MAX; fd++)
		if (child->files.fd[fd])
			file_hold(child->files.fd[fd]);
}

/* Close descriptor fd of t if open. */
static void fd_close_slot(struct task *t, int fd)
{
	struct file *f = t->files.fd[fd];
	t->files.fd[fd] = NULL;
	t->files.cloexec &= ~(1u << fd);
	if (f)
		file_put(f);
}

void fd_table_exec(struct task *t)
{
	for (int fd = 0; fd < CALF_OPEN_MAX; fd++)
		if (t->files.cloexec & (1u << fd))
			fd_close_slot(t, fd);
}

void fd_table_close_all(struct task *t)
{
	for (int fd = 0; fd < CALF_OPEN_MAX; fd++)
		fd_close_slot(t, fd);
}

int fd_table_open_console(struct task *t)
{
	struct inode *dev;
	int err = vfs_lookup("/dev/console", &dev);
	if (err)
		return err;
	struct file *f = NULL;
	err = file_alloc(dev, NULL, O_RDWR, &f);
	if (!err)
		err = dev->ops->open(dev, f);
	inode_put(dev);
	if (err) {
		if (f)
			file_put(f);
		return err;
	}
	for (int fd = 0; fd < 3; fd++) {
		file_hold(f);
		t->files.fd[fd] = f;
	}
	file_put(f);
	return 0;
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
	else
		r = len ? f->ops->read(f, ARG(1), len) : 0;
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
	else
		r = len ? f->ops->write(f, ARG(1), len) : 0;
	file_put(f);
	return r;
}

int32_t sys_close(const struct trapframe *tf)
{
	int fd = (int)ARG(0);
	if (fd < 0 || fd >= CALF_OPEN_MAX || !current->files.fd[fd])
		return -EBADF;
	fd_close_slot(current, fd);
	return 0;
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
	int nfd = fd_free_slot(current, from);
	if (nfd < 0) {
		file_put(f);
		return nfd;
	}
	fd_assign(nfd, f, cloexec);
	return nfd;
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
	fd_assign(nfd, f, false); /* closes what nfd held, after f is safely referenced */
	return nfd;
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
		r = (current->files.cloexec >> fd) & 1u ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		if (arg & FD_CLOEXEC)
			current->files.cloexec |= 1u << fd;
		else
			current->files.cloexec &= ~(1u << fd);
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
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = f->pos; break;
	case SEEK_END: base = f->inode->size; break;
	default: r = -EINVAL; goto out;
	}
	int64_t pos = base + off;
	if (pos < 0)
		r = -EINVAL;
	else if (pos > INT32_MAX)
		r = -EOVERFLOW;
	else
		f->pos = (uint32_t)pos, r = (int)pos;
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
	else
		r = f->ops->getdents(f, ARG(1), len > INT32_MAX ? INT32_MAX : len);
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
