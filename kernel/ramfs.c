/*
 * ramfs.c - DEVELOPMENT SCAFFOLD until the RAM filesystem lands (issue 10):
 * a root directory holding up to RAMFS_SCAFFOLD_MAX empty directories, so
 * that /bin, /dev and /tmp exist. Files cannot be created yet (-EROFS).
 */
#include "ramfs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "file.h"

#define RAMFS_SCAFFOLD_MAX 4

static struct inode dirs[RAMFS_SCAFFOLD_MAX + 1];
static char names[RAMFS_SCAFFOLD_MAX + 1][CALF_NAME_MAX + 1];
static int used;

static int scaffold_find(const char *name, size_t len)
{
	for (int i = 1; i <= used; i++)
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return i;
	return -1;
}

static int scaffold_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	int i = dir == &dirs[0] ? scaffold_find(name, len) : -1;
	if (i < 0)
		return -ENOENT;
	inode_hold(&dirs[i]);
	*out = &dirs[i];
	return 0;
}

static const struct inode_ops scaffold_ops;

static int scaffold_create(struct inode *dir, const char *name, size_t len, uint32_t mode,
			   struct inode **out)
{
	if (dir != &dirs[0] || !S_ISDIR(mode))
		return -EROFS;
	if (scaffold_find(name, len) >= 0)
		return -EEXIST;
	if (used == RAMFS_SCAFFOLD_MAX)
		return -ENOSPC;
	int i = ++used;
	memcpy(names[i], name, len);
	dirs[i] = (struct inode){ .ops = &scaffold_ops, .dev = VFS_DEV_RAMFS, .ino = vfs_ino_next(),
				  .mode = mode, .nlink = 1, .refs = 1, .parent = dir };
	*out = &dirs[i];
	return 0;
}

static int scaffold_getdents(struct file *f, vaddr_t buf, size_t len)
{
	size_t off = 0;
	struct inode *dir = f->inode;
	int count = dir == &dirs[0] ? used : 0;
	for (uint32_t i = f->pos; i < (uint32_t)count + 2 && len - off >= sizeof(struct calf_dirent);
	     i++) {
		int err = i < 2 ? vfs_dirent_put(buf, off, i ? dir->parent->ino : dir->ino, CALF_DT_DIR,
						 "..", i + 1)
				: vfs_dirent_put(buf, off, dirs[i - 1].ino, CALF_DT_DIR, names[i - 1],
						 strlen(names[i - 1]));
		if (err)
			return off ? (int)off : err;
		off += sizeof(struct calf_dirent);
		f->pos = i + 1;
	}
	return (int)off;
}

static const struct file_ops scaffold_dir_ops = { .getdents = scaffold_getdents, .seekable = true };

static int scaffold_open(struct inode *ino, struct file *f)
{
	(void)ino;
	f->ops = &scaffold_dir_ops;
	return 0;
}

static int scaffold_name_of(struct inode *dir, const struct inode *child, char *buf)
{
	for (int i = 1; i <= used && dir == &dirs[0]; i++) {
		if (&dirs[i] == child) {
			memcpy(buf, names[i], strlen(names[i]) + 1);
			return 0;
		}
	}
	return -ENOENT;
}

static const struct inode_ops scaffold_ops = {
	.lookup = scaffold_lookup,
	.create = scaffold_create,
	.open = scaffold_open,
	.name_of = scaffold_name_of,
};

struct inode *ramfs_root_create(void)
{
	dirs[0] = (struct inode){ .ops = &scaffold_ops, .dev = VFS_DEV_RAMFS, .ino = vfs_ino_next(),
				  .mode = S_IFDIR | 0755, .nlink = 2, .refs = 1 };
	return &dirs[0];
}
