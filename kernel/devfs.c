/*
 * devfs.c - /dev: a fixed directory of character devices whose inodes live
 * for good.
 */
#include "devfs.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "file.h"
#include "task.h"
#include "tty.h"

/* Bytes /dev/zero hands out per copy: a bounded stack buffer. */
#define ZERO_CHUNK 256u

/* Reading /dev/null: always end of file. */
static int null_read(struct file *f, vaddr_t buf, size_t len)
{
	(void)f;
	(void)buf;
	(void)len;
	return 0;
}

/* Writing /dev/null or /dev/zero: everything is taken, nothing kept. */
static int sink_write(struct file *f, vaddr_t buf, size_t len)
{
	(void)f;
	(void)buf;
	return (int)len;
}

/* Reading /dev/zero: len zero bytes, stopping early only for a fatal signal. */
static int zero_read(struct file *f, vaddr_t buf, size_t len)
{
	(void)f;
	static const char zeroes[ZERO_CHUNK];
	size_t done = 0;
	while (done < len) {
		/* A huge read stays killable: each copy is at most a chunk. */
		if (current->pending_sig)
			return done ? (int)done : -EINTR;
		size_t n = len - done < ZERO_CHUNK ? len - done : ZERO_CHUNK;
		int err = vm_copyout(current->vs, buf + done, zeroes, n);
		if (err)
			return done ? (int)done : err;
		done += n;
	}
	return (int)done;
}

static const struct file_ops null_ops = { .read = null_read, .write = sink_write };
static const struct file_ops zero_ops = { .read = zero_read, .write = sink_write };

/* /dev's entries, in the order getdents lists them. */
enum { DEV_CONSOLE, DEV_NULL, DEV_ZERO, DEV_COUNT };
static const char *const dev_names[DEV_COUNT] = { "console", "null", "zero" };
static struct inode dev_dir, dev_nodes[DEV_COUNT];

static int devfs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	(void)dir;
	for (int i = 0; i < DEV_COUNT; i++) {
		if (strlen(dev_names[i]) == len && memcmp(dev_names[i], name, len) == 0) {
			inode_hold(&dev_nodes[i]);
			*out = &dev_nodes[i];
			return 0;
		}
	}
	return -ENOENT;
}

/* "." and "..", then the devices, from entry f->pos, while whole records fit. */
static int devfs_getdents(struct file *f, vaddr_t buf, size_t len)
{
	size_t off = 0;
	for (uint32_t i = f->pos; i < DEV_COUNT + 2 && len - off >= sizeof(struct calf_dirent); i++) {
		int err;
		if (i < 2)
			err = vfs_dirent_put(buf, off, i == 0 ? dev_dir.ino : dev_dir.parent->ino,
					     CALF_DT_DIR, "..", i + 1);
		else
			err = vfs_dirent_put(buf, off, dev_nodes[i - 2].ino, CALF_DT_CHR,
					     dev_names[i - 2], strlen(dev_names[i - 2]));
		if (err)
			return off ? (int)off : err;
		off += sizeof(struct calf_dirent);
		f->pos = i + 1;
	}
	return (int)off;
}

static const struct file_ops devfs_dir_ops = { .getdents = devfs_getdents, .seekable = true };

static int devfs_open(struct inode *ino, struct file *f)
{
	if (ino == &dev_dir) {
		f->ops = &devfs_dir_ops;
		return 0;
	}
	switch (ino - dev_nodes) {
	case DEV_CONSOLE: return tty_open(f);
	case DEV_NULL: f->ops = &null_ops; return 0;
	default: f->ops = &zero_ops; return 0;
	}
}

static const struct inode_ops devfs_ops = { .lookup = devfs_lookup, .open = devfs_open };

struct inode *devfs_root(void)
{
	dev_dir = (struct inode){ .ops = &devfs_ops, .dev = VFS_DEV_DEVFS, .ino = 1,
				  .mode = S_IFDIR | 0755, .nlink = 2, .refs = 1,
				  .size = DEV_COUNT + 2 };
	for (int i = 0; i < DEV_COUNT; i++)
		dev_nodes[i] = (struct inode){ .ops = &devfs_ops, .dev = VFS_DEV_DEVFS,
					       .ino = (uint32_t)i + 2, .mode = S_IFCHR | 0666,
					       .nlink = 1, .rdev = (uint32_t)i + 1 };
	return &dev_dir;
}
