/*
 * vfs.c - inode lifetimes, path resolution, mounts, and the system calls
 * that take a path (open, stat, mkdir, rmdir, unlink, rename, chdir,
 * getcwd).
 */
#include "vfs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include <mm/vm.h>
#include "binfs.h"
#include "devfs.h"
#include "file.h"
#include "printk.h"
#include "ramfs.h"
#include "syscall.h"
#include "task.h"

/* Guards refs, nlink and evicted of every inode: a few instructions at a time. */
static struct mm_lock inode_lock;
static struct inode *root;
static uint32_t ino_last;

uint32_t vfs_ino_next(void)
{
	mm_lock_acquire(&inode_lock);
	uint32_t ino = ++ino_last;
	mm_lock_release(&inode_lock);
	return ino;
}

void inode_hold(struct inode *ino)
{
	mm_lock_acquire(&inode_lock);
	ino->refs++;
	mm_lock_release(&inode_lock);
}

/* True, once, when ino is neither referenced nor named: the caller evicts it. Lock held. */
static bool inode_dead_locked(struct inode *ino)
{
	if (ino->refs || ino->nlink || ino->evicted)
		return false;
	ino->evicted = true;
	return true;
}

/* Evict ino when inode_dead_locked() said so; outside the spinlock, since evict may sleep. */
static void inode_evict(struct inode *ino, bool dead)
{
	if (dead && ino->ops->evict)
		ino->ops->evict(ino);
}

void inode_put(struct inode *ino)
{
	mm_lock_acquire(&inode_lock);
	if (ino->refs == 0)
		panic("inode %u of dev %u put more often than held", (unsigned)ino->ino,
		      (unsigned)ino->dev);
	ino->refs--;
	bool dead = inode_dead_locked(ino);
	mm_lock_release(&inode_lock);
	inode_evict(ino, dead);
}

void inode_link(struct inode *ino)
{
	mm_lock_acquire(&inode_lock);
	ino->nlink++;
	mm_lock_release(&inode_lock);
}

void inode_unlink(struct inode *ino)
{
	mm_lock_acquire(&inode_lock);
	if (ino->nlink == 0)
		panic("inode %u of dev %u unlinked more often than linked", (unsigned)ino->ino,
		      (unsigned)ino->dev);
	ino->nlink--;
	bool dead = inode_dead_locked(ino);
	mm_lock_release(&inode_lock);
	inode_evict(ino, dead);
}

struct inode *inode_parent_hold(struct inode *dir)
{
	mm_lock_acquire(&inode_lock);
	struct inode *parent = dir->parent;
	parent->refs++; /* dir's link kept it alive up to here: it cannot be evicted now */
	mm_lock_release(&inode_lock);
	return parent;
}

void inode_parent_set(struct inode *dir, struct inode *parent)
{
	mm_lock_acquire(&inode_lock);
	dir->parent = parent;
	mm_lock_release(&inode_lock);
}

struct inode *vfs_root(void)
{
	inode_hold(root);
	return root;
}

/* The mounts: vfs_init's, for good (a mount point and a mounted root stay held). */
#define VFS_MOUNT_MAX 2
static struct {
	struct inode *at, *fs;
} mounts[VFS_MOUNT_MAX];
static size_t mounts_used;

/* Cover directory at (held) with the filesystem whose root is fs: its ".." is at's. */
static void vfs_mount(struct inode *at, struct inode *fs)
{
	if (mounts_used == VFS_MOUNT_MAX)
		panic("vfs: more than %d mounts", VFS_MOUNT_MAX);
	mounts[mounts_used].at = at;
	mounts[mounts_used].fs = fs;
	mounts_used++;
	at->mounted = fs;
	fs->parent = at->parent;
}

/* Make directory name in root and mount fs over it (fs NULL: a plain directory). */
static void vfs_mkdir_boot(const char *name, struct inode *fs)
{
	struct inode *dir;
	int err = root->ops->create(root, name, strlen(name), S_IFDIR | 0755, &dir);
	if (err)
		panic("vfs: cannot make /%s: error %d", name, err);
	if (fs)
		vfs_mount(dir, fs);
	else
		inode_put(dir);
}

void vfs_init(void)
{
	file_table_init();
	root = ramfs_root_create();
	if (!root)
		panic("vfs: no memory for the root directory");
	root->parent = root;
	vfs_mkdir_boot("bin", binfs_root());
	vfs_mkdir_boot("dev", devfs_root());
	vfs_mkdir_boot("tmp", NULL);
}

/* The directory a relative path starts from, held. */
static struct inode *vfs_start(const char *path)
{
	struct inode *start = path[0] != '/' && current ? fd_table_cwd_get() : NULL;
	if (!start) {
		start = root;
		inode_hold(start);
	}
	return start;
}

/* Replace *ino (held) by the root of what is mounted over it, if anything. */
static void vfs_follow_mounts(struct inode **ino)
{
	while ((*ino)->mounted) {
		struct inode *fs = (*ino)->mounted;
		inode_hold(fs);
		inode_put(*ino);
		*ino = fs;
	}
}

/* One step from directory dir (held) to its entry name: 0 with *next held, or -errno. */
static int vfs_step(struct inode *dir, const char *name, size_t len, struct inode **next)
{
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (len == 1 && name[0] == '.') {
		inode_hold(dir);
		*next = dir;
		return 0;
	}
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		*next = inode_parent_hold(dir);
		return 0;
	}
	if (!dir->ops->lookup)
		return -ENOTDIR;
	int err = dir->ops->lookup(dir, name, len, next);
	if (!err)
		vfs_follow_mounts(next);
	return err;
}

/* The length of the component at p (up to '/' or the end). */
static size_t vfs_component(const char *p)
{
	size_t n = 0;
	while (p[n] && p[n] != '/')
		n++;
	return n;
}

/*
 * Walk path from its start: the whole of it (stop_last false), or all but
 * its last component (stop_last true: *name and *len then give it). *out is
 * the inode reached, held.
 */
static int vfs_walk(const char *path, bool stop_last, struct inode **out, const char **name,
		    size_t *len)
{
	if (!path[0])
		return -ENOENT;
	struct inode *cur = vfs_start(path);
	const char *p = path;
	bool slash_end = false;
	for (;;) {
		while (*p == '/')
			p++;
		size_t n = vfs_component(p);
		if (n == 0)
			break;
		if (n > CALF_NAME_MAX) {
			inode_put(cur);
			return -ENAMETOOLONG;
		}
		const char *after = p + n;
		while (*after == '/')
			after++;
		if (stop_last && !*after) {
			if (!S_ISDIR(cur->mode)) {
				inode_put(cur);
				return -ENOTDIR;
			}
			*out = cur;
			*name = p;
			*len = n;
			return 0;
		}
		struct inode *next;
		int err = vfs_step(cur, p, n, &next);
		inode_put(cur);
		if (err)
			return err;
		cur = next;
		slash_end = p[n] == '/';
		p += n;
	}
	if (stop_last) {
		inode_put(cur);
		return -EEXIST; /* the path names "/" (or only slashes): no last component */
	}
	/* "file/" names a directory that is not there (POSIX 4.13). */
	if (slash_end && !S_ISDIR(cur->mode)) {
		inode_put(cur);
		return -ENOTDIR;
	}
	*out = cur;
	return 0;
}

int vfs_lookup(const char *path, struct inode **out)
{
	return vfs_walk(path, false, out, NULL, NULL);
}

/* True for the names "." and "..". */
static bool vfs_is_dot(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

int vfs_lookup_parent(const char *path, struct inode **dir, const char **name, size_t *len)
{
	int err = vfs_walk(path, true, dir, name, len);
	if (!err && vfs_is_dot(*name, *len)) {
		inode_put(*dir);
		return -EINVAL;
	}
	return err;
}

int vfs_path_copyin(vaddr_t upath, char *buf)
{
	size_t done = 0;
	while (done < CALF_PATH_MAX) {
		/* Page by page: a short string at the end of mapped memory is still readable. */
		size_t room = PAGE_SIZE - ((upath + done) & PAGE_MASK);
		size_t n = CALF_PATH_MAX - done < room ? CALF_PATH_MAX - done : room;
		int err = vm_copyin(current->vs, buf + done, upath + done, n);
		if (err)
			return err;
		const char *nul = memchr(buf + done, '\0', n);
		if (nul)
			return nul == buf ? -ENOENT : 0;
		done += n;
	}
	return -ENAMETOOLONG;
}

/* ns since boot as a struct timespec. */
static struct timespec vfs_timespec(int64_t ns)
{
	return (struct timespec){ .tv_sec = (time_t)(ns / 1000000000), .tv_nsec = (long)(ns % 1000000000) };
}

void vfs_stat_fill(const struct inode *ino, struct stat *st)
{
	memset(st, 0, sizeof(*st)); /* padding too: no kernel stack bytes leak out */
	st->st_dev = (dev_t)ino->dev;
	st->st_ino = (ino_t)ino->ino;
	st->st_mode = (mode_t)ino->mode;
	st->st_nlink = (nlink_t)ino->nlink;
	st->st_rdev = (dev_t)ino->rdev;
	st->st_size = (off_t)ino->size;
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = (blkcnt_t)ino->blocks;
	st->st_mtim = vfs_timespec(ino->mtime_ns);
	st->st_ctim = vfs_timespec(ino->ctime_ns);
	st->st_atim = st->st_mtim; /* no access times: every read would cost a write */
}

#define ARG(i) arch_tf_arg(tf, i)

/*
 * The inode open() names, made when O_CREAT asks and it is missing; held.
 * O_EXCL fails with -EEXIST on anything already there.
 */
static int vfs_open_inode(const char *path, uint32_t flags, uint32_t mode, struct inode **out)
{
	if (!(flags & O_CREAT))
		return vfs_lookup(path, out);
	struct inode *dir;
	const char *name;
	size_t len;
	int err = vfs_lookup_parent(path, &dir, &name, &len);
	if (err == -EEXIST || err == -EINVAL)
		return (flags & O_EXCL) ? -EEXIST : -EISDIR; /* "/", "." or "..": directories */
	if (err)
		return err;
	/* Two tries: a file made by another task between the lookup and the create is opened. */
	for (int tries = 0; tries < 2; tries++) {
		err = vfs_step(dir, name, len, out);
		if (err == 0) {
			if (flags & O_EXCL) {
				inode_put(*out);
				err = -EEXIST;
			}
			break;
		}
		if (err != -ENOENT)
			break;
		if (name[len] == '/') {
			err = -EISDIR; /* "new/" with O_CREAT would make a directory: open cannot */
			break;
		}
		err = dir->ops->create ? dir->ops->create(dir, name, len, S_IFREG | (mode & 0777), out)
				       : -EROFS;
		if (err != -EEXIST || (flags & O_EXCL))
			break;
	}
	inode_put(dir);
	return err;
}

/* Refuse open flags the inode cannot take. */
static int vfs_open_check(const struct inode *ino, uint32_t flags)
{
	if ((flags & O_DIRECTORY) && !S_ISDIR(ino->mode))
		return -ENOTDIR;
	if (S_ISDIR(ino->mode) && (flags & O_ACCMODE) != O_RDONLY)
		return -EISDIR;
	if ((flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	return 0;
}

int32_t sys_open(const struct trapframe *tf)
{
	char path[CALF_PATH_MAX];
	uint32_t flags = (uint32_t)ARG(1);
	int err = vfs_path_copyin(ARG(0), path);
	if (err)
		return err;
	struct inode *ino;
	err = vfs_open_inode(path, flags, (uint32_t)ARG(2), &ino);
	if (err)
		return err;
	err = vfs_open_check(ino, flags);
	struct file *f = NULL;
	if (!err)
		err = file_alloc(ino, NULL, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK), &f);
	inode_put(ino); /* the file holds it now */
	if (!err)
		err = ino->ops->open ? ino->ops->open(ino, f) : -ENXIO;
	if (!err && (flags & O_TRUNC) && S_ISREG(ino->mode) && file_writable(f))
		err = ino->ops->truncate ? ino->ops->truncate(ino, 0) : -EINVAL;
	if (err) {
		if (f)
			file_put(f); /* releases only what the inode's open() set up */
		return err;
	}
	return fd_install(f, flags & O_CLOEXEC);
}

int32_t sys_stat(const struct trapframe *tf)
{
	char path[CALF_PATH_MAX];
	int err = vfs_path_copyin(ARG(0), path);
	if (err)
		return err;
	struct inode *ino;
	err = vfs_lookup(path, &ino);
	if (err)
		return err;
	struct stat st;
	vfs_stat_fill(ino, &st);
	inode_put(ino);
	return vm_copyout(current->vs, ARG(1), &st, sizeof(st));
}

/* Copy the user path at uva and resolve its directory: *dir held, *name in buf. */
static int vfs_parent_of_user(vaddr_t uva, char *buf, struct inode **dir, const char **name,
			      size_t *len)
{
	int err = vfs_path_copyin(uva, buf);
	return err ? err : vfs_lookup_parent(buf, dir, name, len);
}

int32_t sys_mkdir(const struct trapframe *tf)
{
	char path[CALF_PATH_MAX];
	struct inode *dir, *made;
	const char *name;
	size_t len;
	int err = vfs_parent_of_user(ARG(0), path, &dir, &name, &len);
	if (err)
		return err == -EINVAL ? -EEXIST : err; /* "/", "." and ".." exist */
	err = dir->ops->create ? dir->ops->create(dir, name, len, S_IFDIR | (ARG(1) & 0777), &made)
			       : -EROFS;
	inode_put(dir);
	if (!err)
		inode_put(made);
	return err;
}

/* True when name in dir is a mount point: removing or renaming it is -EBUSY (POSIX). */
static bool vfs_is_mount_point(struct inode *dir, const char *name, size_t len)
{
	struct inode *ino;
	if (!dir->ops->lookup || dir->ops->lookup(dir, name, len, &ino))
		return false;
	bool mounted = ino->mounted != NULL;
	inode_put(ino);
	return mounted;
}

/* unlink (rmdir false) or rmdir (true) of the user path at uva. */
static int vfs_remove(vaddr_t uva, bool rmdir)
{
	char path[CALF_PATH_MAX];
	struct inode *dir;
	const char *name;
	size_t len;
	int err = vfs_parent_of_user(uva, path, &dir, &name, &len);
	if (err == -EEXIST)
		return rmdir ? -EBUSY : -EISDIR; /* "/": in use as the root, and a directory */
	if (err == -EINVAL)
		return rmdir ? -EINVAL : -EISDIR; /* POSIX rmdir("."): EINVAL */
	if (err)
		return err;
	if (!rmdir && name[len] == '/')
		err = -ENOTDIR; /* unlink("x/") names a directory, or nothing */
	else if (vfs_is_mount_point(dir, name, len))
		err = rmdir ? -EBUSY : -EISDIR;
	else
		err = dir->ops->remove ? dir->ops->remove(dir, name, len, rmdir) : -EROFS;
	inode_put(dir);
	return err;
}

int32_t sys_unlink(const struct trapframe *tf)
{
	return vfs_remove(ARG(0), false);
}

int32_t sys_rmdir(const struct trapframe *tf)
{
	return vfs_remove(ARG(0), true);
}

int32_t sys_rename(const struct trapframe *tf)
{
	char opath[CALF_PATH_MAX], npath[CALF_PATH_MAX];
	struct inode *odir, *ndir;
	const char *oname, *nname;
	size_t olen, nlen;
	int err = vfs_parent_of_user(ARG(0), opath, &odir, &oname, &olen);
	if (err)
		return err == -EEXIST ? -EBUSY : err;
	err = vfs_parent_of_user(ARG(1), npath, &ndir, &nname, &nlen);
	if (err) {
		inode_put(odir);
		return err == -EEXIST ? -EBUSY : err;
	}
	if (vfs_is_mount_point(odir, oname, olen) || vfs_is_mount_point(ndir, nname, nlen))
		err = -EBUSY;
	else if (odir->dev != ndir->dev)
		err = -EXDEV;
	else if (!odir->ops->rename)
		err = -EROFS;
	else
		err = odir->ops->rename(odir, oname, olen, ndir, nname, nlen);
	inode_put(odir);
	inode_put(ndir);
	return err;
}

int32_t sys_chdir(const struct trapframe *tf)
{
	char path[CALF_PATH_MAX];
	int err = vfs_path_copyin(ARG(0), path);
	if (err)
		return err;
	struct inode *ino;
	err = vfs_lookup(path, &ino);
	if (err)
		return err;
	if (!S_ISDIR(ino->mode)) {
		inode_put(ino);
		return -ENOTDIR;
	}
	fd_table_cwd_set(ino);
	return 0;
}

/* The mount point the filesystem root dir covers, or NULL (a plain directory). */
static struct inode *vfs_covered(const struct inode *dir)
{
	for (size_t i = 0; i < mounts_used; i++)
		if (mounts[i].fs == dir)
			return mounts[i].at;
	return NULL;
}

/*
 * Write the absolute path of directory dir into the end of buf (size
 * bytes, NUL last); *start gets where it begins. Walks up through ".."
 * asking each parent for the child's name.
 */
static int vfs_path_of(struct inode *dir, char *buf, size_t size, char **start)
{
	char *p = buf + size - 1;
	*p = '\0';
	struct inode *cur = dir;
	inode_hold(cur);
	char name[CALF_NAME_MAX + 1];
	int err = 0;
	while (cur != root) {
		struct inode *named = vfs_covered(cur); /* a mounted root is named by its point */
		struct inode *child = named ? named : cur;
		struct inode *parent = inode_parent_hold(cur);
		err = parent->ops->name_of ? parent->ops->name_of(parent, child, name) : -ENOENT;
		if (err) {
			inode_put(parent);
			break; /* removed from under the caller: POSIX getcwd's ENOENT */
		}
		size_t n = strlen(name);
		if ((size_t)(p - buf) < n + 1) {
			inode_put(parent);
			err = -ERANGE;
			break;
		}
		p -= n;
		memcpy(p, name, n);
		*--p = '/';
		inode_put(cur);
		cur = parent;
	}
	inode_put(cur);
	if (err)
		return err;
	if (*p == '\0') {
		if (p == buf)
			return -ERANGE;
		*--p = '/';
	}
	*start = p;
	return 0;
}

int32_t sys_getcwd(const struct trapframe *tf)
{
	size_t size = ARG(1);
	if (size == 0)
		return -EINVAL;
	char buf[CALF_PATH_MAX];
	char *start;
	struct inode *cwd = fd_table_cwd_get();
	int err = vfs_path_of(cwd ? cwd : root, buf, sizeof(buf), &start);
	if (cwd)
		inode_put(cwd);
	if (err)
		return err == -ERANGE ? -ENAMETOOLONG : err;
	size_t len = strlen(start) + 1;
	if (len > size)
		return -ERANGE;
	err = vm_copyout(current->vs, ARG(0), start, len);
	return err ? err : (int32_t)len;
}

int vfs_dirent_put(vaddr_t buf, size_t off, uint32_t ino, uint8_t type, const char *name,
		   size_t len)
{
	struct calf_dirent d;
	memset(&d, 0, sizeof(d)); /* no kernel stack bytes leak through the padding */
	d.ino = ino;
	d.type = type;
	memcpy(d.name, name, len < CALF_NAME_MAX ? len : CALF_NAME_MAX);
	return vm_copyout(current->vs, buf + off, &d, sizeof(d));
}

uint8_t vfs_dirent_type(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return CALF_DT_DIR;
	case S_IFCHR: return CALF_DT_CHR;
	case S_IFIFO: return CALF_DT_FIFO;
	default: return CALF_DT_REG;
	}
}
