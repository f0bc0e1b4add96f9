/*
 * file.h - open files and descriptor tables.
 *
 * A struct file is one open file description (POSIX): its operations, the
 * inode it reaches, its offset and status flags. Descriptors are counted
 * references to it, so a file lives until the last descriptor naming it,
 * in any task, is closed: fork and dup share one file (and its offset),
 * and a pipe's reader sees end-of-file exactly when the last writer's
 * file goes. Each task has its own table of CALF_OPEN_MAX descriptors,
 * copied at clone, kept across exec except close-on-exec ones, closed at
 * exit. Only its task changes a table, so tables need no lock; the counts
 * of files, shared between tasks, change under the file lock.
 */
#ifndef CALF_KERNEL_FILE_H
#define CALF_KERNEL_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <calf/abi.h>
#include <mm/pmap.h>

struct file;
struct inode;
struct task;

/*
 * What an open file does. Each call may sleep (interrupts on) and reads or
 * writes user memory at buf through vm_copyin/vm_copyout of current->vs.
 * A NULL entry answers the errno noted beside it.
 */
struct file_ops {
	/* Up to len bytes into user buf: the count, 0 at end of file, or -errno. [-EINVAL] */
	int (*read)(struct file *f, vaddr_t buf, size_t len);
	/* Up to len bytes from user buf: the count (short only when interrupted) or -errno. [-EINVAL] */
	int (*write)(struct file *f, vaddr_t buf, size_t len);
	/* Whole struct calf_dirent records into buf from f->pos: bytes, 0 at end. [-ENOTDIR] */
	int (*getdents)(struct file *f, vaddr_t buf, size_t len);
	/* A CALF_IOCTL_* command. [-ENOTTY] */
	int (*ioctl)(struct file *f, unsigned cmd, uintptr_t arg);
	/* The last reference is going: free what open() set up. [nothing to do] */
	void (*release)(struct file *f);
	/* lseek moves f->pos (regular files, directories); otherwise it gives -ESPIPE. */
	bool seekable;
};

struct file {
	const struct file_ops *ops;
	struct inode *inode; /* held: fstat, and the data of regular files */
	void *priv;          /* the ops' own (a pipe's end) */
	uint32_t refs;       /* descriptors naming it, in every task, and calls using it */
	uint32_t flags;      /* O_ACCMODE, O_APPEND, O_NONBLOCK */
	uint32_t pos;        /* offset of a seekable file; changed by its ops under their lock */
};

/* A task's descriptors: file pointers and their close-on-exec bits. */
struct fdtable {
	struct file *fd[CALF_OPEN_MAX];
	uint32_t cloexec; /* bit n: descriptor n closes at exec */
};
_Static_assert(CALF_OPEN_MAX <= 32, "cloexec is one word");

/* The status flags F_SETFL may change. */
#define FILE_SETFL_MASK (O_APPEND | O_NONBLOCK)

/* Put every file record on the free list: once, at boot. */
void file_table_init(void);

/*
 * A new file on ino (a reference is taken) with ops and flags, refs = 1.
 * Returns 0 or -ENFILE when every file record is in use.
 */
int file_alloc(struct inode *ino, const struct file_ops *ops, uint32_t flags, struct file **out);

/* Add a reference to f. */
void file_hold(struct file *f);

/* Drop a reference; the last one releases the file and its inode. May sleep. */
void file_put(struct file *f);

/* True when f may be read (write) through its access mode. */
bool file_readable(const struct file *f);
bool file_writable(const struct file *f);

/*
 * Put f at the lowest free descriptor of the current task, taking over the
 * caller's reference. Returns the descriptor or -EMFILE (the reference is
 * dropped then).
 */
int fd_install(struct file *f, bool cloexec);

/* The file at descriptor fd of the current task, with a reference the caller drops; or NULL. */
struct file *fd_get(int fd);

/* Copy parent's descriptors into child (holding each file): fork and clone. */
void fd_table_copy(struct task *child, const struct task *parent);

/* Close t's close-on-exec descriptors: exec, once it cannot fail any more. */
void fd_table_exec(struct task *t);

/* Close every descriptor of t: exit. May sleep. */
void fd_table_close_all(struct task *t);

/* Open the console as descriptors 0, 1 and 2 of t: the first task. 0 or -errno. */
int fd_table_open_console(struct task *t);

#endif
