/*
 * vfs.h - the file namespace: inodes, path lookup, mounts.
 *
 * The tree is a RAM filesystem (kernel/ramfs.c) at "/" with two read-only
 * filesystems mounted over its directories: /bin, the apps packed into the
 * image (kernel/binfs.c), and /dev, the devices (kernel/devfs.c). Each
 * filesystem gives its inodes a struct inode_ops; paths are resolved here,
 * one component at a time, from "/" or the task's working directory.
 *
 * Lifetime: an inode is freed (ops->evict) once nothing references it
 * (refs: open files, working directories, lookups in progress) and no
 * directory entry names it (nlink). Both counts change only through
 * inode_hold/inode_put/inode_link/inode_unlink, under one spinlock, so
 * exactly one caller sees both reach zero and evicts. So an unlinked file
 * keeps its data until its last descriptor closes.
 */
#ifndef CALF_KERNEL_VFS_H
#define CALF_KERNEL_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <calf/abi.h>
#include <mm/pmap.h>

struct file;
struct inode;

/*
 * What a filesystem does with its inodes. Names are one path component:
 * len bytes (1 to CALF_NAME_MAX), no '/', not NUL-terminated, never "." or
 * "..". Calls may sleep. A NULL entry answers the errno noted beside it.
 */
struct inode_ops {
	/* The inode dir names name, with a reference: 0 or -ENOENT. [-ENOTDIR] */
	int (*lookup)(struct inode *dir, const char *name, size_t len, struct inode **out);
	/*
	 * Make name in dir: a regular file or a directory (mode's S_IF* type),
	 * returned with a reference. -EEXIST, -ENOSPC. [-EROFS]
	 */
	int (*create)(struct inode *dir, const char *name, size_t len, uint32_t mode,
		      struct inode **out);
	/*
	 * Remove name from dir: a non-directory (rmdir false: unlink) or an
	 * empty directory (rmdir true). -ENOENT, -EISDIR/-ENOTDIR for the
	 * wrong kind, -ENOTEMPTY, -EBUSY for a mount point. [-EROFS]
	 */
	int (*remove)(struct inode *dir, const char *name, size_t len, bool rmdir);
	/*
	 * Move oname in odir to nname in ndir (both of this filesystem),
	 * replacing what nname named as POSIX rename() does. [-EROFS]
	 */
	int (*rename)(struct inode *odir, const char *oname, size_t olen, struct inode *ndir,
		      const char *nname, size_t nlen);
	/* Set up f (ops, priv) for f->flags; refuse what the inode cannot do. [-ENXIO] */
	int (*open)(struct inode *ino, struct file *f);
	/* Cut or extend a regular file to size bytes (zeroes). -ENOSPC. [-EINVAL] */
	int (*truncate)(struct inode *ino, uint32_t size);
	/* Nothing references ino any more and no entry names it: free it. [kept] */
	void (*evict)(struct inode *ino);
	/*
	 * The name under which directory dir holds the directory child, copied
	 * with its NUL into buf (CALF_NAME_MAX + 1 bytes): getcwd. -ENOENT.
	 */
	int (*name_of)(struct inode *dir, const struct inode *child, char *buf);
};

struct inode {
	const struct inode_ops *ops;
	uint32_t dev;      /* which filesystem: VFS_DEV_* */
	uint32_t ino;
	uint32_t mode;     /* S_IF* type and permission bits */
	uint32_t nlink;    /* directory entries naming it (inode_link/inode_unlink) */
	uint32_t refs;     /* inode_hold/inode_put */
	uint32_t size;     /* bytes; a directory: its entries */
	uint32_t blocks;   /* 512-byte blocks of frames it holds */
	uint32_t rdev;
	int64_t mtime_ns;
	int64_t ctime_ns;
	struct inode *parent;  /* a directory's "..": the root's is itself */
	struct inode *mounted; /* a mount point: the root of the filesystem over it */
	bool evicted;          /* set once, by whoever evicts */
	void *priv;            /* the filesystem's own */
};

/* Filesystem numbers (struct stat's st_dev). */
#define VFS_DEV_RAMFS 1
#define VFS_DEV_BINFS 2
#define VFS_DEV_DEVFS 3
#define VFS_DEV_PIPEFS 4

/* Build the tree: the RAM filesystem's root with /bin, /dev and /tmp, and the mounts. */
void vfs_init(void);

/* Add a reference to ino. */
void inode_hold(struct inode *ino);

/* Drop one; evicts ino when it was the last and no entry names it. May sleep. */
void inode_put(struct inode *ino);

/* A new directory entry names ino (for filesystems). */
void inode_link(struct inode *ino);

/* An entry naming ino went; evicts it when that was the last and nothing references it. */
void inode_unlink(struct inode *ino);

/*
 * A directory's "..", held: read and held under the lock that guards
 * eviction, so a parent removed meanwhile is never held after it is gone.
 */
struct inode *inode_parent_hold(struct inode *dir);

/* Point dir's ".." at parent (for filesystems: rename and rmdir), before the old one's link goes. */
void inode_parent_set(struct inode *dir, struct inode *parent);

/* The root directory, held. */
struct inode *vfs_root(void);

/*
 * Resolve the kernel string path (absolute, or relative to the current
 * task's working directory) to its inode, with a reference. Follows "."
 * and ".." and mounts. Returns 0, -ENOENT, -ENOTDIR (a component is not a
 * directory), -ENAMETOOLONG (a component longer than CALF_NAME_MAX).
 */
int vfs_lookup(const char *path, struct inode **out);

/*
 * Resolve all but the last component of path: its directory (held) and
 * the last name within path (not "." or ".."; -EINVAL for those, -ENOENT
 * for an empty path, -EEXIST for "/"). Trailing slashes are allowed.
 */
int vfs_lookup_parent(const char *path, struct inode **dir, const char **name, size_t *len);

/*
 * Copy the user path at upath into buf (CALF_PATH_MAX bytes). Returns 0,
 * -EFAULT (unreadable), -ENAMETOOLONG (no NUL within CALF_PATH_MAX), or
 * -ENOENT for an empty string.
 */
int vfs_path_copyin(vaddr_t upath, char *buf);

struct stat;

/* Fill st (newlib's struct stat, as the apps have it) from ino. */
void vfs_stat_fill(const struct inode *ino, struct stat *st);

/*
 * Copy one struct calf_dirent record for (ino, type, name of len bytes) to
 * user buf + off, where the caller checked a whole record fits. 0 or -EFAULT.
 */
int vfs_dirent_put(vaddr_t buf, size_t off, uint32_t ino, uint8_t type, const char *name,
		   size_t len);

/* The CALF_DT_* type of an inode mode. */
uint8_t vfs_dirent_type(uint32_t mode);

/* A fresh inode number for dev (the filesystems' own counters go through here). */
uint32_t vfs_ino_next(void);

#endif
