/*
 * file.h - open files and descriptor tables.
 *
 * A struct file is one open file description (POSIX): its operations, the
 * inode it reaches, its offset and status flags. Descriptors are counted
 * references to it, so a file lives until the last descriptor naming it,
 * in any task, is closed: fork and dup share one file (and its offset),
 * and a pipe's reader sees end-of-file exactly when the last writer's
 * file goes. Each process has a table of CALF_OPEN_MAX descriptors, which
 * its threads share (POSIX: descriptors are per process): copied at fork
 * and at a CLONE_VM clone that is a process of its own, shared by a
 * CLONE_THREAD clone, kept across exec except close-on-exec ones, closed
 * when its last thread exits. The table's spinlock covers its slots, so a
 * thread's close cannot free a file another thread is picking up; the
 * counts of files change under the file lock. The working directory is
 * per process too, so it lives in the same table.
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
	uint32_t pos;        /* offset of a seekable file: read and changed under pos_lock */
	/*
	 * Taken around read, write, lseek and getdents of a seekable file, so
	 * each moves a shared offset atomically (POSIX 2.9.7: threads and
	 * forked processes sharing one open file). Outermost: the ops take
	 * their own locks inside it.
	 */
	struct mm_mutex pos_lock;
};

/* A process's descriptors and working directory, shared by its threads. */
struct fdtable {
	struct mm_lock lock;  /* fd[], cloexec and cwd: short, constant sections */
	uint32_t refs;        /* tasks using it (its process's threads); under fdtable_pool's lock */
	struct file *fd[CALF_OPEN_MAX];
	uint32_t cloexec;     /* bit n: descriptor n closes at exec */
	struct inode *cwd;    /* working directory, held; NULL: "/" */
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

/*
 * Undo fd_install(f) of descriptor fd, if fd still names f (a sibling
 * thread may have closed it meanwhile); the caller holds its own
 * reference to f, so the record cannot have been reused.
 */
void fd_uninstall(int fd, struct file *f);

/* The file at descriptor fd of the current task, with a reference the caller drops; or NULL. */
struct file *fd_get(int fd);

/*
 * Give child its parent's table: shared (share, a CLONE_THREAD thread) or
 * a copy holding every file and the working directory (fork, and a
 * CLONE_VM task that is a process of its own). 0 or -EAGAIN when no table
 * is free (never while tasks are fewer than TASK_MAX).
 */
int fd_table_clone(struct task *child, struct task *parent, bool share);

/* Close t's close-on-exec descriptors: exec, once it cannot fail any more. */
void fd_table_exec(struct task *t);

/* Drop t's use of its table; the last user closes every descriptor. May sleep. */
void fd_table_release(struct task *t);

/* A new table for t with the console as descriptors 0, 1 and 2: the first task. 0 or -errno. */
int fd_table_open_console(struct task *t);

/* The current process's working directory, held (the caller puts it), or NULL for "/". */
struct inode *fd_table_cwd_get(void);

/* Make dir (a held directory, reference taken over) the current process's working directory. */
void fd_table_cwd_set(struct inode *dir);

#endif
