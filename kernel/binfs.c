/*
 * binfs.c - /bin: one read-only file per app packed into the image. The
 * inodes are built once from the image's app table and never freed.
 */
#include "binfs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "file.h"
#include "printk.h"
#include "task.h"

/* Apps an image may pack; a build with more stops at boot saying so. */
#define BINFS_MAX 96

extern const struct app_image calf_apps[];
extern const uint32_t calf_apps_count;

static struct inode bin_dir;
static struct inode bin_files[BINFS_MAX];

/* The /bin file named name (len bytes), held: 0 or -ENOENT. */
static int binfs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	(void)dir;
	for (uint32_t i = 0; i < calf_apps_count; i++) {
		const char *app = calf_apps[i].name;
		if (strlen(app) == len && memcmp(app, name, len) == 0) {
			inode_hold(&bin_files[i]);
			*out = &bin_files[i];
			return 0;
		}
	}
	return -ENOENT;
}

/* Up to len bytes of the app's ELF file from f->pos. */
static int binfs_read(struct file *f, vaddr_t buf, size_t len)
{
	const struct app_image *app = f->inode->priv;
	uint32_t size = f->inode->size, pos = f->pos;
	if (pos >= size)
		return 0;
	size_t n = size - pos < len ? size - pos : len;
	int err = vm_copyout(current->vs, buf, app->start + pos, n);
	if (err)
		return err;
	f->pos = pos + (uint32_t)n;
	return (int)n;
}

/* "." and "..", then one record per app, from entry f->pos, while whole records fit. */
static int binfs_getdents(struct file *f, vaddr_t buf, size_t len)
{
	size_t off = 0;
	for (uint32_t i = f->pos; i < calf_apps_count + 2 && len - off >= sizeof(struct calf_dirent);
	     i++) {
		int err;
		if (i < 2)
			err = vfs_dirent_put(buf, off, i == 0 ? bin_dir.ino : bin_dir.parent->ino,
					     CALF_DT_DIR, "..", i + 1);
		else
			err = vfs_dirent_put(buf, off, bin_files[i - 2].ino, CALF_DT_REG,
					     calf_apps[i - 2].name, strlen(calf_apps[i - 2].name));
		if (err)
			return off ? (int)off : err;
		off += sizeof(struct calf_dirent);
		f->pos = i + 1;
	}
	return (int)off;
}

static const struct file_ops binfs_file_ops = { .read = binfs_read, .seekable = true };
static const struct file_ops binfs_dir_ops = { .getdents = binfs_getdents, .seekable = true };

/* Read-only: opening for writing is -EROFS (POSIX open()). */
static int binfs_open(struct inode *ino, struct file *f)
{
	if ((f->flags & O_ACCMODE) != O_RDONLY || (f->flags & O_APPEND))
		return -EROFS;
	f->ops = S_ISDIR(ino->mode) ? &binfs_dir_ops : &binfs_file_ops;
	return 0;
}

static const struct inode_ops binfs_ops = {
	.lookup = binfs_lookup,
	.open = binfs_open,
};

struct inode *binfs_root(void)
{
	if (calf_apps_count > BINFS_MAX)
		panic("binfs: the image packs %u apps, /bin holds %d (BINFS_MAX)",
		      (unsigned)calf_apps_count, BINFS_MAX);
	bin_dir = (struct inode){ .ops = &binfs_ops, .dev = VFS_DEV_BINFS, .ino = 1,
				  .mode = S_IFDIR | 0555, .nlink = 2, .refs = 1,
				  .size = calf_apps_count + 2 };
	for (uint32_t i = 0; i < calf_apps_count; i++) {
		const struct app_image *app = &calf_apps[i];
		if (strlen(app->name) > CALF_NAME_MAX)
			panic("binfs: app name '%s' is longer than %d bytes", app->name, CALF_NAME_MAX);
		bin_files[i] = (struct inode){ .ops = &binfs_ops, .dev = VFS_DEV_BINFS, .ino = i + 2,
					       .mode = S_IFREG | 0555, .nlink = 1,
					       .size = (uint32_t)(app->end - app->start),
					       .blocks = (uint32_t)(app->end - app->start + 511) / 512,
					       .priv = (void *)app };
	}
	return &bin_dir;
}

const struct app_image *binfs_image(const struct inode *ino)
{
	if (ino->dev != VFS_DEV_BINFS || !S_ISREG(ino->mode))
		return NULL;
	return ino->priv;
}
