/*
 * test_ramfs.c - the RAM filesystem (kernel/ramfs.c, compiled as it ships)
 * over the host frame table and user copies. Its neighbours are faked
 * here, small: the VFS's inode counts (inode_hold/put/link/unlink, which
 * evict exactly once, and count evictions), inode numbers, the clock, the
 * current task (one address space holding a user buffer), and opening a
 * file (what file_alloc + ops->open do). Every case ends by checking that
 * the filesystem holds exactly what it held at the start: the root's slab
 * page and nothing else, and the frame table's free count is back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <kernel/file.h>
#include <kernel/ramfs.h>
#include <kernel/task.h>
#include <kernel/timer.h>
#include <kernel/vfs.h>
#include <mm/frame.h>
#include <mm/vm.h>

#include "harness.h"
#include "swpmap.h"

#define RAM_FRAMES 8192u                /* 32 MiB: the filesystem may hold half */
#define UBUF 0x100000u                  /* the user buffer every copy goes through */
#define UBUF_LEN (1024u * 1024u)
#define UNMAPPED 0x20000000u            /* a user address no region holds */
#define DIRENT_SIZE sizeof(struct calf_dirent)
#define BASE 2u /* frames: the root's slab page and its one directory page */

/* The fakes: one task, a clock, inode numbers and counts. */
bool host_irqs_on = true;
void host_irqs_opened(void) {}
struct task *current;
static struct task self;
static uint64_t now_ns;
static uint32_t ino_next;
static unsigned evictions;

uint64_t timer_now(void)
{
	return now_ns;
}

uint32_t vfs_ino_next(void)
{
	return ++ino_next;
}

/* Evict ino when nothing references it and no entry names it: once, as vfs.c does. */
static void inode_maybe_evict(struct inode *ino)
{
	if (ino->refs || ino->nlink)
		return;
	CHECK(!ino->evicted);
	ino->evicted = true;
	evictions++;
	ino->ops->evict(ino);
}

void inode_hold(struct inode *ino)
{
	CHECK(!ino->evicted);
	ino->refs++;
}

void inode_put(struct inode *ino)
{
	CHECK(ino->refs > 0);
	ino->refs--;
	inode_maybe_evict(ino);
}

void inode_link(struct inode *ino)
{
	ino->nlink++;
}

void inode_unlink(struct inode *ino)
{
	CHECK(ino->nlink > 0);
	ino->nlink--;
	inode_maybe_evict(ino);
}

void inode_parent_set(struct inode *dir, struct inode *parent)
{
	CHECK(!parent->evicted);
	dir->parent = parent;
}

/* The VFS's record writer, as vfs.c has it. */
int vfs_dirent_put(vaddr_t buf, size_t off, uint32_t ino, uint8_t type, const char *name,
		   size_t len)
{
	struct calf_dirent d;
	memset(&d, 0, sizeof(d));
	d.ino = ino;
	d.type = type;
	memcpy(d.name, name, len < CALF_NAME_MAX ? len : CALF_NAME_MAX);
	return vm_copyout(current->vs, buf + off, &d, sizeof(d));
}

uint8_t vfs_dirent_type(uint32_t mode)
{
	return S_ISDIR(mode) ? CALF_DT_DIR : CALF_DT_REG;
}

/* The state each case starts from. */
static struct inode *root;
static uint32_t free_at_start;

static uint32_t frames_free(void)
{
	struct frame_stats st;
	frame_stats_get(&st);
	return st.free;
}

static struct ramfs_stats fs_stats(void)
{
	struct ramfs_stats st;
	ramfs_stats_get(&st);
	return st;
}

/* A fresh filesystem and a task whose user buffer is already paged in. */
static void setup(void)
{
	swpmap_ram_init(RAM_FRAMES);
	current = &self;
	CHECK_EQ(vm_space_create(&self.vs), 0);
	CHECK_EQ(vm_region_add(self.vs, UBUF, UBUF_LEN, VM_PROT_READ | VM_PROT_WRITE, 0), 0);
	static uint8_t zero[UBUF_LEN];
	CHECK_EQ(vm_copyout(self.vs, UBUF, zero, UBUF_LEN), 0);
	evictions = 0;
	root = ramfs_root_create();
	CHECK(root != NULL);
	free_at_start = frames_free();
}

/* Check that everything but the root went back, and tear down. */
static void teardown(void)
{
	CHECK_EQ(fs_stats().nodes, 1);
	CHECK_EQ(fs_stats().frames, 1); /* the root's slab page */
	CHECK_EQ(frames_free(), free_at_start);
	CHECK_EQ(root->nlink, 2);
	CHECK_EQ(root->refs, 1);
	vm_space_release(self.vs);
	swpmap_ram_fini();
}

/* Open ino as file_alloc + ops->open would: 0 or -errno. */
static int file_open(struct inode *ino, uint32_t flags, struct file **out)
{
	struct file *f = calloc(1, sizeof(*f));
	f->inode = ino;
	f->flags = flags;
	f->refs = 1;
	inode_hold(ino);
	int err = ino->ops->open(ino, f);
	if (err) {
		inode_put(ino);
		free(f);
		return err;
	}
	*out = f;
	return 0;
}

static void file_close(struct file *f)
{
	if (f->ops->release)
		f->ops->release(f);
	inode_put(f->inode);
	free(f);
}

static int do_create(struct inode *dir, const char *name, uint32_t mode, struct inode **out)
{
	return dir->ops->create(dir, name, strlen(name), mode, out);
}

static int do_lookup(struct inode *dir, const char *name, struct inode **out)
{
	return dir->ops->lookup(dir, name, strlen(name), out);
}

static int do_remove(struct inode *dir, const char *name, bool rmdir)
{
	return dir->ops->remove(dir, name, strlen(name), rmdir);
}

static int do_rename(struct inode *odir, const char *o, struct inode *ndir, const char *n)
{
	return odir->ops->rename(odir, o, strlen(o), ndir, n, strlen(n));
}

/* Make a directory (mkdir) and drop the reference create returned. */
static struct inode *mkdir_at(struct inode *dir, const char *name)
{
	struct inode *d = NULL;
	CHECK_EQ(do_create(dir, name, S_IFDIR | 0755, &d), 0);
	if (d)
		inode_put(d);
	return d;
}

/* Create name in dir and open it for reading and writing. */
static struct file *creat_at(struct inode *dir, const char *name)
{
	struct inode *ino = NULL;
	struct file *f = NULL;
	CHECK_EQ(do_create(dir, name, S_IFREG | 0644, &ino), 0);
	if (!ino)
		return NULL;
	CHECK_EQ(file_open(ino, O_RDWR, &f), 0);
	inode_put(ino);
	return f;
}

/* write() len bytes of data through the user buffer at f->pos. */
static int put_bytes(struct file *f, const void *data, size_t len)
{
	CHECK(len <= UBUF_LEN);
	CHECK_EQ(vm_copyout(self.vs, UBUF, data, len), 0);
	return f->ops->write(f, UBUF, len);
}

/* read() up to len bytes into out through the user buffer. */
static int get_bytes(struct file *f, void *out, size_t len)
{
	CHECK(len <= UBUF_LEN);
	int n = f->ops->read(f, UBUF, len);
	if (n > 0)
		CHECK_EQ(vm_copyin(self.vs, out, UBUF, (size_t)n), 0);
	return n;
}

static void pattern(uint8_t *p, size_t len, uint32_t seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)((seed + i) * 2654435761u >> 24);
}

TEST(create_lookup_tree)
{
	setup();
	struct inode *a = mkdir_at(root, "a");
	struct inode *b = mkdir_at(a, "b");
	CHECK_EQ(root->nlink, 3); /* ".", its own "..", and a's ".." */
	CHECK_EQ(a->nlink, 3);
	CHECK_EQ(b->nlink, 2);
	CHECK(a->parent == root && b->parent == a && root->parent == root);
	CHECK_EQ(a->size, 3); /* ".", "..", b */
	struct inode *x;
	CHECK_EQ(do_create(a, "b", S_IFREG | 0644, &x), -EEXIST);
	CHECK_EQ(do_create(a, "b", S_IFDIR | 0755, &x), -EEXIST);
	CHECK_EQ(do_create(a, "fifo", S_IFIFO | 0644, &x), -EINVAL);
	struct file *f = creat_at(b, "file");
	CHECK_EQ(f->inode->nlink, 1);
	CHECK(S_ISREG(f->inode->mode));
	CHECK_EQ(f->inode->dev, VFS_DEV_RAMFS);
	CHECK_EQ(do_lookup(root, "a", &x), 0);
	CHECK(x == a);
	inode_put(x);
	CHECK_EQ(do_lookup(a, "nope", &x), -ENOENT);
	CHECK_EQ(do_lookup(f->inode, "x", &x), -ENOTDIR);
	CHECK_EQ(do_create(f->inode, "x", S_IFREG, &x), -ENOTDIR);
	CHECK_EQ(do_remove(f->inode, "x", false), -ENOTDIR);
	/* Names are compared whole: a prefix or a longer name is another name. */
	CHECK_EQ(do_lookup(b, "fil", &x), -ENOENT);
	CHECK_EQ(do_lookup(b, "files", &x), -ENOENT);
	char longest[CALF_NAME_MAX + 2];
	memset(longest, 'n', sizeof(longest));
	longest[CALF_NAME_MAX] = 0;
	CHECK_EQ(do_create(b, longest, S_IFREG, &x), 0);
	inode_put(x);
	CHECK_EQ(do_lookup(b, longest, &x), 0);
	inode_put(x);
	CHECK_EQ(do_remove(b, longest, false), 0);
	longest[CALF_NAME_MAX] = 'n';
	longest[CALF_NAME_MAX + 1] = 0;
	CHECK_EQ(do_create(b, longest, S_IFREG, &x), -ENAMETOOLONG);
	/* getcwd's question: under which name does a directory hold a child? */
	char name[CALF_NAME_MAX + 1];
	CHECK_EQ(root->ops->name_of(root, a, name), 0);
	CHECK(strcmp(name, "a") == 0);
	CHECK_EQ(b->ops->name_of(b, f->inode, name), 0);
	CHECK(strcmp(name, "file") == 0);
	CHECK_EQ(root->ops->name_of(root, b, name), -ENOENT);
	CHECK_EQ(f->inode->ops->name_of(f->inode, b, name), -ENOTDIR);
	file_close(f);
	CHECK_EQ(do_remove(b, "file", false), 0);
	CHECK_EQ(do_remove(a, "b", true), 0);
	CHECK_EQ(do_remove(root, "a", true), 0);
	CHECK_EQ(evictions, 4);
	teardown();
}

TEST(remove_errors_and_links)
{
	setup();
	struct inode *d = mkdir_at(root, "d");
	struct file *f = creat_at(d, "f");
	file_close(f);
	CHECK_EQ(do_remove(root, "d", true), -ENOTEMPTY);
	CHECK_EQ(do_remove(root, "d", false), -EISDIR);
	CHECK_EQ(do_remove(d, "f", true), -ENOTDIR);
	CHECK_EQ(do_remove(d, "g", false), -ENOENT);
	/* A mount point stays. */
	struct inode *m = mkdir_at(root, "m");
	struct inode other = { .ino = 999 };
	m->mounted = &other;
	CHECK_EQ(do_remove(root, "m", true), -EBUSY);
	CHECK_EQ(do_rename(root, "m", root, "m2"), -EBUSY);
	m->mounted = NULL;
	CHECK_EQ(do_remove(root, "m", true), 0);
	/* A directory removed while held is empty, takes no entries, and is its own "..". */
	struct inode *e = mkdir_at(d, "e");
	inode_hold(e);
	CHECK_EQ(d->nlink, 3);
	CHECK_EQ(do_remove(d, "e", true), 0);
	CHECK_EQ(d->nlink, 2);
	CHECK_EQ(e->nlink, 0);
	CHECK(!e->evicted);
	CHECK(e->parent == e);
	struct inode *x;
	CHECK_EQ(do_create(e, "late", S_IFREG, &x), -ENOENT);
	CHECK_EQ(do_create(e, "late", S_IFDIR, &x), -ENOENT);
	CHECK_EQ(do_lookup(e, "late", &x), -ENOENT);
	unsigned before = evictions;
	inode_put(e);
	CHECK_EQ(evictions, before + 1);
	CHECK_EQ(do_remove(d, "f", false), 0);
	CHECK_EQ(do_remove(root, "d", true), 0);
	teardown();
}

TEST(rename_cases)
{
	setup();
	struct inode *a = mkdir_at(root, "a");
	struct inode *b = mkdir_at(root, "b");
	struct inode *c = mkdir_at(a, "c");
	struct file *f = creat_at(a, "f");
	struct file *g = creat_at(b, "g");
	CHECK_EQ(put_bytes(g, "gg", 2), 2);
	struct inode *x;
	/* Same file under both names: nothing happens. */
	CHECK_EQ(do_rename(a, "f", a, "f"), 0);
	CHECK_EQ(do_rename(a, "nope", a, "f2"), -ENOENT);
	/* A file to a new name in another directory. */
	CHECK_EQ(do_rename(a, "f", b, "f2"), 0);
	CHECK_EQ(do_lookup(a, "f", &x), -ENOENT);
	CHECK_EQ(do_lookup(b, "f2", &x), 0);
	CHECK(x == f->inode);
	inode_put(x);
	/* A file over a file: the old target goes once its last holder does. */
	struct inode *gi = g->inode;
	CHECK_EQ(do_rename(b, "f2", b, "g"), 0);
	CHECK_EQ(gi->nlink, 0);
	CHECK(!gi->evicted);
	char buf[4] = { 0 };
	g->pos = 0;
	CHECK_EQ(get_bytes(g, buf, 4), 2); /* still readable through the open file */
	CHECK(memcmp(buf, "gg", 2) == 0);
	unsigned before = evictions;
	file_close(g);
	CHECK_EQ(evictions, before + 1);
	CHECK_EQ(b->size, 3);
	/* Kinds must match. */
	CHECK_EQ(do_rename(b, "g", a, "c"), -EISDIR);
	CHECK_EQ(do_rename(a, "c", b, "g"), -ENOTDIR);
	/* A directory into its own subtree, or onto itself as the new parent. */
	CHECK_EQ(do_rename(root, "a", c, "a"), -EINVAL);
	CHECK_EQ(do_rename(root, "a", a, "a2"), -EINVAL);
	/* A directory over an empty one, moving between parents. */
	struct inode *e = mkdir_at(b, "e");
	CHECK_EQ(a->nlink, 3);
	CHECK_EQ(b->nlink, 3);
	CHECK_EQ(do_rename(a, "c", b, "e"), 0);
	CHECK_EQ(a->nlink, 2);
	CHECK_EQ(b->nlink, 3); /* lost e's "..", gained c's */
	CHECK(c->parent == b);
	CHECK_EQ(do_lookup(b, "e", &x), 0);
	CHECK(x == c);
	inode_put(x);
	CHECK_EQ(evictions, before + 2); /* e */
	(void)e;
	/* A directory over a non-empty one. */
	struct inode *h = mkdir_at(a, "h");
	struct file *t = creat_at(c, "t");
	file_close(t);
	CHECK_EQ(do_rename(a, "h", b, "e"), -ENOTEMPTY);
	/* Within one directory, a directory keeps its parent's count. */
	CHECK_EQ(do_rename(a, "h", a, "h2"), 0);
	CHECK_EQ(a->nlink, 3);
	CHECK(h->parent == a);
	/* Into a removed directory: no. */
	struct inode *gone = mkdir_at(root, "gone");
	inode_hold(gone);
	CHECK_EQ(do_remove(root, "gone", true), 0);
	CHECK_EQ(do_rename(a, "h2", gone, "h"), -ENOENT);
	inode_put(gone);
	file_close(f);
	CHECK_EQ(do_remove(b, "g", false), 0);
	CHECK_EQ(do_remove(c, "t", false), 0);
	CHECK_EQ(do_remove(b, "e", true), 0);
	CHECK_EQ(do_remove(a, "h2", true), 0);
	CHECK_EQ(do_remove(root, "a", true), 0);
	CHECK_EQ(do_remove(root, "b", true), 0);
	teardown();
}

TEST(write_read_append)
{
	setup();
	struct file *f = creat_at(root, "f");
	static uint8_t data[3 * PAGE_SIZE + 100], back[sizeof(data)];
	pattern(data, sizeof(data), 1);
	now_ns = 1000;
	CHECK_EQ(put_bytes(f, data, sizeof(data)), (int)sizeof(data));
	CHECK_EQ(f->pos, sizeof(data));
	CHECK_EQ(f->inode->size, sizeof(data));
	CHECK_EQ(f->inode->blocks, 4 * (PAGE_SIZE / 512) + 8); /* four pages and an index page */
	CHECK_EQ(f->inode->mtime_ns, 1000);
	CHECK_EQ(get_bytes(f, back, 10), 0); /* at the end */
	f->pos = 0;
	CHECK_EQ(get_bytes(f, back, sizeof(back)), (int)sizeof(data));
	CHECK(memcmp(data, back, sizeof(data)) == 0);
	/* A read across a page boundary, starting mid-page. */
	f->pos = PAGE_SIZE - 7;
	CHECK_EQ(get_bytes(f, back, 20), 20);
	CHECK(memcmp(back, data + PAGE_SIZE - 7, 20) == 0);
	/* Overwrite in the middle. */
	f->pos = 5;
	CHECK_EQ(put_bytes(f, "hello", 5), 5);
	f->pos = 0;
	CHECK_EQ(get_bytes(f, back, 12), 12);
	CHECK(memcmp(back, data, 5) == 0 && memcmp(back + 5, "hello", 5) == 0);
	/* O_APPEND writes at the end whatever the offset. */
	struct file *g;
	CHECK_EQ(file_open(f->inode, O_WRONLY | O_APPEND, &g), 0);
	g->pos = 3;
	now_ns = 2000;
	CHECK_EQ(put_bytes(g, "tail", 4), 4);
	CHECK_EQ(g->pos, sizeof(data) + 4);
	CHECK_EQ(f->inode->size, sizeof(data) + 4);
	CHECK_EQ(f->inode->mtime_ns, 2000);
	f->pos = sizeof(data);
	CHECK_EQ(get_bytes(f, back, 100), 4);
	CHECK(memcmp(back, "tail", 4) == 0);
	CHECK_EQ(put_bytes(f, "", 0), 0);
	/* Bad user pointers: nothing written, nothing held. */
	uint32_t frames = fs_stats().frames;
	f->pos = 64 * PAGE_SIZE;
	CHECK_EQ(f->ops->write(f, UNMAPPED, 10), -EFAULT);
	CHECK_EQ(fs_stats().frames, frames);
	CHECK_EQ(f->inode->size, sizeof(data) + 4);
	f->pos = 0;
	CHECK_EQ(f->ops->read(f, UNMAPPED, 10), -EFAULT);
	CHECK_EQ(f->pos, 0);
	/*
	 * A whole page that cannot be copied leaves the hole it was. Its frame
	 * was not zeroed first (it was to be overwritten whole), and the frame
	 * table hands back the last frame freed: one full of 0xAA.
	 */
	f->pos = 10 * PAGE_SIZE;
	CHECK_EQ(put_bytes(f, "x", 1), 1);
	struct file *junk = creat_at(root, "junk");
	static uint8_t aa[PAGE_SIZE];
	memset(aa, 0xAA, sizeof(aa));
	CHECK_EQ(put_bytes(junk, aa, PAGE_SIZE), PAGE_SIZE);
	CHECK_EQ(junk->inode->ops->truncate(junk->inode, 0), 0);
	frames = fs_stats().frames;
	f->pos = 6 * PAGE_SIZE;
	CHECK_EQ(f->ops->write(f, UNMAPPED, PAGE_SIZE), -EFAULT);
	CHECK_EQ(fs_stats().frames, frames);
	f->pos = 6 * PAGE_SIZE;
	CHECK_EQ(get_bytes(f, back, PAGE_SIZE), PAGE_SIZE);
	bool zero = true;
	for (size_t i = 0; i < PAGE_SIZE; i++)
		zero &= back[i] == 0;
	CHECK(zero);
	file_close(junk);
	CHECK_EQ(do_remove(root, "junk", false), 0);
	/* A write running off the user buffer stops short at the page it could not read. */
	f->pos = 0;
	CHECK_EQ(f->ops->write(f, UBUF + UBUF_LEN - 100, 300), 100);
	CHECK_EQ(f->pos, 100);
	file_close(g);
	file_close(f);
	CHECK_EQ(do_remove(root, "f", false), 0);
	teardown();
}

TEST(directories_refuse_file_calls)
{
	setup();
	struct inode *d = mkdir_at(root, "d");
	struct file *f;
	CHECK_EQ(file_open(d, O_WRONLY, &f), -EISDIR);
	CHECK_EQ(file_open(d, O_RDWR, &f), -EISDIR);
	CHECK_EQ(file_open(d, O_RDONLY, &f), 0);
	CHECK_EQ(f->ops->read(f, UBUF, 10), -EISDIR);
	CHECK_EQ(d->ops->truncate(d, 0), -EISDIR);
	CHECK(f->ops->seekable);
	file_close(f);
	struct file *g = creat_at(root, "g");
	CHECK(g->ops->getdents == NULL); /* the VFS answers ENOTDIR */
	CHECK(g->ops->seekable);
	file_close(g);
	CHECK_EQ(do_remove(root, "g", false), 0);
	CHECK_EQ(do_remove(root, "d", true), 0);
	teardown();
}

TEST(holes_read_zero_and_hold_nothing)
{
	setup();
	struct file *f = creat_at(root, "sparse");
	f->pos = 5u << 20; /* 5 MiB: past the 4 MiB one index page spans */
	CHECK_EQ(put_bytes(f, "end", 3), 3);
	CHECK_EQ(f->inode->size, (5u << 20) + 3);
	/* The page, a leaf index and the top index. */
	CHECK_EQ(fs_stats().frames, BASE + 3);
	CHECK_EQ(f->inode->blocks, 3 * 8);
	static uint8_t back[UBUF_LEN];
	f->pos = 1 << 20;
	CHECK_EQ(get_bytes(f, back, UBUF_LEN), (int)UBUF_LEN);
	bool zero = true;
	for (size_t i = 0; i < UBUF_LEN; i++)
		zero &= back[i] == 0;
	CHECK(zero);
	CHECK_EQ(fs_stats().frames, BASE + 3);
	/* A write at 0 lands in the top index's first leaf: one more leaf, one page. */
	f->pos = 0;
	CHECK_EQ(put_bytes(f, "x", 1), 1);
	CHECK_EQ(fs_stats().frames, BASE + 5);
	/* Past the largest size: EFBIG; just below it: a short write. */
	f->pos = RAMFS_FILE_MAX;
	CHECK_EQ(put_bytes(f, "y", 1), -EFBIG);
	f->pos = RAMFS_FILE_MAX - 2;
	CHECK_EQ(put_bytes(f, "abcd", 4), 2);
	CHECK_EQ(f->inode->size, RAMFS_FILE_MAX);
	CHECK_EQ(f->inode->ops->truncate(f->inode, RAMFS_FILE_MAX + 1u), -EFBIG);
	file_close(f);
	CHECK_EQ(do_remove(root, "sparse", false), 0);
	teardown();
}

TEST(big_file_two_levels)
{
	setup();
	struct file *f = creat_at(root, "big");
	static uint8_t chunk[UBUF_LEN], back[UBUF_LEN];
	const uint32_t mib = 6;
	for (uint32_t i = 0; i < mib; i++) {
		pattern(chunk, UBUF_LEN, i * 77);
		CHECK_EQ(put_bytes(f, chunk, UBUF_LEN), (int)UBUF_LEN);
	}
	/* 1536 pages, two leaf index pages and the top one. */
	CHECK_EQ(fs_stats().frames, BASE + 1536 + 2 + 1);
	for (uint32_t i = mib; i-- > 0;) {
		f->pos = i * UBUF_LEN;
		CHECK_EQ(get_bytes(f, back, UBUF_LEN), (int)UBUF_LEN);
		pattern(chunk, UBUF_LEN, i * 77);
		CHECK(memcmp(chunk, back, UBUF_LEN) == 0);
	}
	file_close(f);
	CHECK_EQ(do_remove(root, "big", false), 0);
	teardown();
}

TEST(truncate_down_frees_up_reads_zero)
{
	setup();
	struct file *f = creat_at(root, "t");
	static uint8_t data[5 * PAGE_SIZE], back[5 * PAGE_SIZE];
	pattern(data, sizeof(data), 9);
	CHECK_EQ(put_bytes(f, data, sizeof(data)), (int)sizeof(data));
	CHECK_EQ(fs_stats().frames, BASE + 5 + 1);
	now_ns = 5000;
	CHECK_EQ(f->inode->ops->truncate(f->inode, PAGE_SIZE + 10), 0);
	CHECK_EQ(f->inode->size, PAGE_SIZE + 10);
	CHECK_EQ(f->inode->mtime_ns, 5000);
	CHECK_EQ(f->inode->ctime_ns, 5000);
	CHECK_EQ(fs_stats().frames, BASE + 2 + 1);
	/* Up again: what was cut reads as zeroes, the kept bytes as before. */
	CHECK_EQ(f->inode->ops->truncate(f->inode, 3 * PAGE_SIZE), 0);
	CHECK_EQ(fs_stats().frames, BASE + 2 + 1);
	f->pos = 0;
	CHECK_EQ(get_bytes(f, back, sizeof(back)), 3 * PAGE_SIZE);
	CHECK(memcmp(back, data, PAGE_SIZE + 10) == 0);
	bool zero = true;
	for (size_t i = PAGE_SIZE + 10; i < 3 * PAGE_SIZE; i++)
		zero &= back[i] == 0;
	CHECK(zero);
	/* A write past the end after a cut leaves zeroes between. */
	CHECK_EQ(f->inode->ops->truncate(f->inode, 100), 0);
	CHECK_EQ(fs_stats().frames, BASE + 1); /* back to depth 0: the page alone */
	f->pos = 200;
	CHECK_EQ(put_bytes(f, "z", 1), 1);
	f->pos = 0;
	CHECK_EQ(get_bytes(f, back, 300), 201);
	CHECK(memcmp(back, data, 100) == 0);
	zero = true;
	for (size_t i = 100; i < 200; i++)
		zero &= back[i] == 0;
	CHECK(zero && back[200] == 'z');
	CHECK_EQ(f->inode->ops->truncate(f->inode, 0), 0);
	CHECK_EQ(fs_stats().frames, BASE);
	CHECK_EQ(f->inode->blocks, 0);
	file_close(f);
	CHECK_EQ(do_remove(root, "t", false), 0);
	teardown();
}

TEST(unlink_while_open_keeps_data)
{
	setup();
	struct file *f = creat_at(root, "u");
	static uint8_t data[2 * PAGE_SIZE], back[2 * PAGE_SIZE];
	pattern(data, sizeof(data), 3);
	CHECK_EQ(put_bytes(f, data, sizeof(data)), (int)sizeof(data));
	struct inode *ino = f->inode;
	CHECK_EQ(do_remove(root, "u", false), 0);
	CHECK_EQ(ino->nlink, 0);
	CHECK(!ino->evicted);
	struct inode *x;
	CHECK_EQ(do_lookup(root, "u", &x), -ENOENT);
	/* Still a file: read, write and truncate work until the last close. */
	f->pos = 0;
	CHECK_EQ(get_bytes(f, back, sizeof(back)), (int)sizeof(back));
	CHECK(memcmp(data, back, sizeof(data)) == 0);
	CHECK_EQ(put_bytes(f, "more", 4), 4);
	/* A new file of the same name is another file. */
	struct file *g = creat_at(root, "u");
	CHECK(g->inode != ino);
	CHECK_EQ(g->inode->size, 0);
	file_close(g);
	CHECK_EQ(do_remove(root, "u", false), 0);
	unsigned before = evictions;
	CHECK(fs_stats().frames > BASE);
	file_close(f);
	CHECK_EQ(evictions, before + 1);
	teardown();
}

/* Read records through getdents into recs (at most max): the count, or -errno. */
static int dents(struct file *d, struct calf_dirent *recs, size_t bytes)
{
	int n = d->ops->getdents(d, UBUF, bytes);
	if (n > 0) {
		CHECK_EQ(n % DIRENT_SIZE, 0);
		CHECK_EQ(vm_copyin(self.vs, recs, UBUF, (size_t)n), 0);
		return n / (int)DIRENT_SIZE;
	}
	return n;
}

TEST(getdents_records)
{
	setup();
	struct inode *d = mkdir_at(root, "d");
	mkdir_at(d, "sub");
	struct file *f = creat_at(d, "file");
	file_close(f);
	struct file *df;
	CHECK_EQ(file_open(d, O_RDONLY, &df), 0);
	struct calf_dirent r[8];
	CHECK_EQ(df->ops->getdents(df, UBUF, DIRENT_SIZE - 1), -EINVAL);
	CHECK_EQ(dents(df, r, sizeof(r)), 4);
	CHECK(strcmp(r[0].name, ".") == 0 && r[0].ino == d->ino && r[0].type == CALF_DT_DIR);
	CHECK(strcmp(r[1].name, "..") == 0 && r[1].ino == root->ino && r[1].type == CALF_DT_DIR);
	CHECK(strcmp(r[2].name, "sub") == 0 && r[2].type == CALF_DT_DIR);
	CHECK(strcmp(r[3].name, "file") == 0 && r[3].type == CALF_DT_REG);
	CHECK_EQ(dents(df, r, sizeof(r)), 0);
	/* One record at a time from the start, as a small buffer reads them. */
	df->pos = 0;
	int seen = 0;
	while (dents(df, r, DIRENT_SIZE + 10) == 1)
		seen++;
	CHECK_EQ(seen, 4);
	/* A record into a bad buffer: EFAULT, and the offset stays. */
	df->pos = 0;
	CHECK_EQ(df->ops->getdents(df, UNMAPPED, DIRENT_SIZE), -EFAULT);
	CHECK_EQ(df->pos, 0);
	file_close(df);
	CHECK_EQ(do_remove(d, "file", false), 0);
	CHECK_EQ(do_remove(d, "sub", true), 0);
	CHECK_EQ(do_remove(root, "d", true), 0);
	teardown();
}

TEST(many_entries_span_pages_and_go_back)
{
	setup();
	struct inode *d = mkdir_at(root, "many");
	const int count = 300; /* several directory pages */
	char name[16];
	for (int i = 0; i < count; i++) {
		snprintf(name, sizeof(name), "e%d", i);
		struct inode *x;
		CHECK_EQ(do_create(d, name, (i % 3 ? S_IFREG : S_IFDIR) | 0644, &x), 0);
		inode_put(x);
	}
	CHECK_EQ(d->size, (uint32_t)count + 2);
	CHECK_EQ(d->nlink, 2 + (uint32_t)(count + 2) / 3);
	/* Remove every other one while a reader is halfway: each survivor is read once. */
	struct file *df;
	CHECK_EQ(file_open(d, O_RDONLY, &df), 0);
	static struct calf_dirent r[400];
	int n = dents(df, r, 100 * DIRENT_SIZE);
	CHECK_EQ(n, 32); /* one call's batch */
	int got = n;
	for (int i = 0; i < count; i += 2) {
		snprintf(name, sizeof(name), "e%d", i);
		CHECK_EQ(do_remove(d, name, i % 3 == 0), 0);
	}
	while ((n = dents(df, r + got, 100 * DIRENT_SIZE)) > 0)
		got += n;
	CHECK_EQ(n, 0);
	/* The first 30 names came before the removal, then the odd ones after. */
	int odd_after = 0;
	for (int i = 32; i < got; i++) {
		int k = atoi(r[i].name + 1);
		CHECK(k % 2 == 1 && k >= 30);
		odd_after++;
	}
	CHECK_EQ(odd_after, (count - 30) / 2);
	file_close(df);
	/* Refill: freed slots are reused before new pages. */
	uint32_t blocks = d->blocks;
	for (int i = 0; i < count; i += 2) {
		snprintf(name, sizeof(name), "e%d", i);
		struct inode *x;
		CHECK_EQ(do_create(d, name, S_IFREG | 0644, &x), 0);
		inode_put(x);
	}
	CHECK_EQ(d->blocks, blocks);
	for (int i = count; i-- > 0;) {
		snprintf(name, sizeof(name), "e%d", i);
		CHECK_EQ(do_remove(d, name, i % 2 && i % 3 == 0), 0);
	}
	CHECK_EQ(d->size, 2);
	CHECK_EQ(d->blocks, 0); /* every directory page went */
	CHECK_EQ(do_remove(root, "many", true), 0);
	teardown();
}

TEST(enospc_at_the_limit_then_everything_back)
{
	setup();
	struct ramfs_stats st = fs_stats();
	CHECK_EQ(st.limit, RAM_FRAMES / RAMFS_SHARE_DIV);
	struct file *f = creat_at(root, "fill");
	static uint8_t chunk[UBUF_LEN];
	memset(chunk, 0xAA, sizeof(chunk));
	int n;
	uint32_t total = 0;
	while ((n = put_bytes(f, chunk, UBUF_LEN)) == (int)UBUF_LEN)
		total += (uint32_t)n;
	CHECK(n > 0); /* the last write came up short, then the next one failed */
	total += (uint32_t)n;
	CHECK_EQ(put_bytes(f, chunk, 1), -ENOSPC);
	CHECK_EQ(fs_stats().frames, st.limit);
	CHECK_EQ(f->inode->size, total);
	/* Namespace calls that need a frame fail too, and change nothing. */
	struct inode *x;
	int err = 0;
	char name[16];
	int made = 0;
	for (int i = 0; i < 100 && !err; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		err = do_create(root, name, S_IFREG, &x);
		if (!err) {
			inode_put(x);
			made++;
		}
	}
	CHECK_EQ(err, -ENOSPC);
	CHECK_EQ(root->size, 2 + 1 + (uint32_t)made);
	/* A truncate frees space; the freed frames can be taken again. */
	CHECK_EQ(f->inode->ops->truncate(f->inode, total - 8 * PAGE_SIZE), 0);
	CHECK(fs_stats().frames <= st.limit - 8);
	f->pos = f->inode->size;
	CHECK_EQ(put_bytes(f, chunk, 4 * PAGE_SIZE), 4 * PAGE_SIZE);
	file_close(f);
	CHECK_EQ(do_remove(root, "fill", false), 0);
	for (int i = 0; i < made; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		CHECK_EQ(do_remove(root, name, false), 0);
	}
	teardown();
}

TEST(strict_commit_refuses_before_the_limit)
{
	setup();
	/* Promise nearly every frame away: the filesystem gets what is left, then ENOSPC. */
	frame_commit_mode_set(FRAME_COMMIT_STRICT);
	struct frame_stats fst;
	frame_stats_get(&fst);
	uint32_t spare = 10;
	uint32_t promise = fst.total - fst.committed - fst.uncharged - spare;
	CHECK_EQ(frame_commit(promise), 0);
	struct file *f = creat_at(root, "s");
	static uint8_t chunk[16 * PAGE_SIZE];
	int n = put_bytes(f, chunk, sizeof(chunk));
	CHECK(n > 0 && n < (int)sizeof(chunk));
	CHECK_EQ(put_bytes(f, chunk, 1), -ENOSPC);
	frame_stats_get(&fst);
	CHECK_EQ(fst.committed + fst.uncharged, fst.total);
	file_close(f);
	CHECK_EQ(do_remove(root, "s", false), 0);
	frame_uncommit(promise);
	frame_commit_mode_set(FRAME_COMMIT_OVERCOMMIT);
	teardown();
}

/*
 * Random reads, writes, truncates and reopenings of a few files against a
 * model of their bytes; every so often a file is unlinked and made anew.
 */
#define MODEL_FILES 4
#define MODEL_MAX (3u << 20)

TEST(random_against_model)
{
	setup();
	static uint8_t model[MODEL_FILES][MODEL_MAX], buf[64 * 1024], back[64 * 1024];
	uint32_t size[MODEL_FILES] = { 0 };
	struct file *f[MODEL_FILES];
	char name[16];
	for (int i = 0; i < MODEL_FILES; i++) {
		snprintf(name, sizeof(name), "m%d", i);
		f[i] = creat_at(root, name);
	}
	memset(model, 0, sizeof(model));
	srand(12345);
	for (int step = 0; step < 4000; step++) {
		int i = rand() % MODEL_FILES;
		uint32_t pos = (uint32_t)rand() % MODEL_MAX;
		uint32_t len = (uint32_t)rand() % (rand() % 4 ? 300 : sizeof(buf));
		if (pos + len > MODEL_MAX)
			len = MODEL_MAX - pos;
		switch (rand() % 5) {
		case 0:
		case 1:
			pattern(buf, len, (uint32_t)step);
			f[i]->pos = pos;
			CHECK_EQ(put_bytes(f[i], buf, len), (int)len);
			memcpy(model[i] + pos, buf, len);
			if (len && pos + len > size[i]) /* a zero-length write changes nothing */
				size[i] = pos + len;
			break;
		case 2: {
			f[i]->pos = pos;
			uint32_t want = pos < size[i] ? size[i] - pos : 0;
			if (want > len)
				want = len;
			CHECK_EQ(get_bytes(f[i], back, len), (int)want);
			CHECK(memcmp(back, model[i] + pos, want) == 0);
			break;
		}
		case 3:
			pos = rand() % 2 ? pos / 64 : pos;
			CHECK_EQ(f[i]->inode->ops->truncate(f[i]->inode, pos), 0);
			if (pos < size[i])
				memset(model[i] + pos, 0, size[i] - pos);
			size[i] = pos;
			break;
		default:
			file_close(f[i]);
			snprintf(name, sizeof(name), "m%d", i);
			if (rand() % 4 == 0) {
				CHECK_EQ(do_remove(root, name, false), 0);
				f[i] = creat_at(root, name);
				memset(model[i], 0, size[i]);
				size[i] = 0;
			} else {
				struct inode *ino;
				CHECK_EQ(do_lookup(root, name, &ino), 0);
				CHECK_EQ(file_open(ino, O_RDWR, &f[i]), 0);
				inode_put(ino);
			}
		}
		CHECK_EQ(f[i]->inode->size, size[i]);
		if (harness_case_failures) {
			fprintf(stderr, "  stopped at step %d\n", step);
			break;
		}
	}
	for (int i = 0; i < MODEL_FILES; i++) {
		f[i]->pos = 0;
		for (uint32_t at = 0; at < size[i]; at += sizeof(back)) {
			int n = get_bytes(f[i], back, sizeof(back));
			CHECK(n > 0 && memcmp(back, model[i] + at, (size_t)n) == 0);
		}
		file_close(f[i]);
		snprintf(name, sizeof(name), "m%d", i);
		CHECK_EQ(do_remove(root, name, false), 0);
	}
	teardown();
}

/*
 * Random creates, removes and renames over a small tree, against a model
 * of it: after every step each directory's entries, link count, size and
 * ".." match, and the filesystem holds exactly the model's inodes.
 */
#define NS_MAX 64
#define NS_NAMES 4

static struct ns_node {
	bool used, dir;
	int parent;
	char name[2];
	struct inode *ino; /* not held: the entry keeps it */
} ns[NS_MAX];

static int ns_child(int d, const char *name)
{
	for (int i = 1; i < NS_MAX; i++)
		if (ns[i].used && ns[i].parent == d && strcmp(ns[i].name, name) == 0)
			return i;
	return -1;
}

static int ns_count(int d, bool dirs_only)
{
	int n = 0;
	for (int i = 1; i < NS_MAX; i++)
		n += ns[i].used && ns[i].parent == d && (!dirs_only || ns[i].dir);
	return n;
}

/* A random directory of the model. */
static int ns_pick_dir(void)
{
	for (;;) {
		int i = rand() % NS_MAX;
		if (ns[i].used && ns[i].dir)
			return i;
	}
}

static bool ns_within(int d, int anc)
{
	for (; d != 0; d = ns[d].parent)
		if (d == anc)
			return true;
	return anc == 0;
}

static void ns_create(void)
{
	int d = ns_pick_dir(), slot = 1;
	char name[2] = { (char)('a' + rand() % NS_NAMES), 0 };
	bool dir = rand() % 2;
	while (slot < NS_MAX && ns[slot].used)
		slot++;
	if (slot == NS_MAX)
		return;
	struct inode *x;
	int err = do_create(ns[d].ino, name, (dir ? S_IFDIR : S_IFREG) | 0644, &x);
	CHECK_EQ(err, ns_child(d, name) >= 0 ? -EEXIST : 0);
	if (err)
		return;
	inode_put(x);
	ns[slot] = (struct ns_node){ true, dir, d, { name[0], 0 }, x };
}

static void ns_remove(void)
{
	int d = ns_pick_dir();
	char name[2] = { (char)('a' + rand() % NS_NAMES), 0 };
	bool rmdir = rand() % 2;
	int c = ns_child(d, name);
	int want = c < 0 ? -ENOENT : rmdir && !ns[c].dir ? -ENOTDIR : !rmdir && ns[c].dir ? -EISDIR
		 : ns[c].dir && ns_count(c, false) ? -ENOTEMPTY : 0;
	CHECK_EQ(do_remove(ns[d].ino, name, rmdir), want);
	if (!want)
		ns[c].used = false;
}

static int ns_rename_want(int o, int nd, int t)
{
	if (o < 0)
		return -ENOENT;
	if (t == o)
		return 0;
	if (ns[o].dir && t >= 0 && !ns[t].dir)
		return -ENOTDIR;
	if (ns[o].dir && ns_within(nd, o))
		return -EINVAL;
	if (ns[o].dir && t >= 0 && ns_count(t, false))
		return -ENOTEMPTY;
	if (!ns[o].dir && t >= 0 && ns[t].dir)
		return -EISDIR;
	return 0;
}

static void ns_rename(void)
{
	int od = ns_pick_dir(), nd = ns_pick_dir();
	char oname[2] = { (char)('a' + rand() % NS_NAMES), 0 };
	char nname[2] = { (char)('a' + rand() % NS_NAMES), 0 };
	int o = ns_child(od, oname), t = ns_child(nd, nname);
	int want = ns_rename_want(o, nd, t);
	CHECK_EQ(do_rename(ns[od].ino, oname, ns[nd].ino, nname), want);
	if (want || t == o)
		return;
	if (t >= 0)
		ns[t].used = false;
	ns[o].parent = nd;
	ns[o].name[0] = nname[0];
}

/* Compare the filesystem with the model. */
static void ns_check(void)
{
	uint32_t nodes = 0;
	for (int d = 0; d < NS_MAX; d++) {
		if (!ns[d].used)
			continue;
		nodes++;
		struct inode *ino = ns[d].ino;
		if (!ns[d].dir) {
			CHECK_EQ(ino->nlink, 1);
			continue;
		}
		CHECK_EQ(ino->nlink, 2 + (uint32_t)ns_count(d, true));
		CHECK_EQ(ino->size, 2 + (uint32_t)ns_count(d, false));
		CHECK(ino->parent == ns[d ? ns[d].parent : 0].ino);
		for (int k = 0; k < NS_NAMES; k++) {
			char name[2] = { (char)('a' + k), 0 };
			int c = ns_child(d, name);
			struct inode *x = NULL;
			CHECK_EQ(do_lookup(ino, name, &x), c >= 0 ? 0 : -ENOENT);
			if (x) {
				CHECK(c >= 0 && x == ns[c].ino);
				inode_put(x);
			}
		}
	}
	CHECK_EQ(fs_stats().nodes, nodes);
}

/* Remove what is below d, deepest first. */
static void ns_clear(int d)
{
	for (int i = 1; i < NS_MAX; i++) {
		if (!ns[i].used || ns[i].parent != d)
			continue;
		if (ns[i].dir)
			ns_clear(i);
		CHECK_EQ(do_remove(ns[d].ino, ns[i].name, ns[i].dir), 0);
		ns[i].used = false;
	}
}

TEST(random_namespace_against_model)
{
	setup();
	memset(ns, 0, sizeof(ns));
	ns[0] = (struct ns_node){ true, true, 0, "/", root };
	srand(777);
	for (int step = 0; step < 20000 && !harness_case_failures; step++) {
		switch (rand() % 3) {
		case 0: ns_create(); break;
		case 1: ns_remove(); break;
		default: ns_rename(); break;
		}
		ns_check();
		if (harness_case_failures)
			fprintf(stderr, "  stopped at step %d\n", step);
	}
	ns_clear(0);
	teardown();
}

int main(int argc, char **argv)
{
	static const struct harness_case cases[] = {
		CASE(create_lookup_tree),
		CASE(remove_errors_and_links),
		CASE(rename_cases),
		CASE(write_read_append),
		CASE(directories_refuse_file_calls),
		CASE(holes_read_zero_and_hold_nothing),
		CASE(big_file_two_levels),
		CASE(truncate_down_frees_up_reads_zero),
		CASE(unlink_while_open_keeps_data),
		CASE(getdents_records),
		CASE(many_entries_span_pages_and_go_back),
		CASE(enospc_at_the_limit_then_everything_back),
		CASE(strict_commit_refuses_before_the_limit),
		CASE(random_against_model),
		CASE(random_namespace_against_model),
	};
	return harness_main(cases, (int)(sizeof(cases) / sizeof(cases[0])), argc, argv);
}
