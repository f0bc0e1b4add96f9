/*
 * fstest.c - the on-target file-system suite: the RAM filesystem at "/"
 * (kernel/ramfs.c) through the real system calls and newlib, with the
 * read-only /bin and the /dev mount beside it.
 *
 * Each case runs in its own forked task, after /tmp has been emptied, and
 * leaves it empty. Cases that count frames snapshot calf_meminfo once their
 * own buffers are paged in, and compare after: the filesystem's frames are
 * uncharged (calf_meminfo's uncharged) and must all come back.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <calf.h>
#include "suite.h"

#define PAGE 4096u
#define MIB (1024u * 1024u)
#define CHUNK (64u * 1024u)

/* A call that must fail with errno e. */
#define EXPECT_ERR(call, e)                                  \
	do {                                                 \
		errno = 0;                                   \
		EXPECT((call) == -1);                        \
		if (errno != (e))                            \
			printf("    errno %d, not %d\n", errno, (e)); \
		EXPECT(errno == (e));                        \
	} while (0)

/* Page aligned: a page-sized piece of a copy is then a whole page of the file. */
static uint8_t chunk[CHUNK] __attribute__((aligned(4096)));
static uint8_t back[CHUNK] __attribute__((aligned(4096)));

/* True when the frames in use (and those no charge covers) are as in a. */
static bool frames_back(const struct calf_meminfo *a)
{
	struct calf_meminfo b = suite_meminfo();
	if (a->free != b.free || a->uncharged != b.uncharged)
		printf("    free %u -> %u, uncharged %u -> %u\n", (unsigned)a->free, (unsigned)b.free,
		       (unsigned)a->uncharged, (unsigned)b.uncharged);
	return a->free == b.free && a->uncharged == b.uncharged;
}

static void pattern(uint8_t *p, size_t len, uint32_t seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)((seed + i) * 2654435761u >> 24);
}

/* Remove path and, for a directory, everything below it. */
static void rm_tree(const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		unlink(path);
		return;
	}
	char sub[CALF_PATH_MAX];
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		rm_tree(sub);
		rewinddir(d); /* entries were removed under the stream */
	}
	closedir(d);
	rmdir(path);
}

/* Each case's task starts at "/" with an empty /tmp. */
static void tmp_clean(void)
{
	DIR *d = opendir("/tmp");
	struct dirent *e;
	char sub[CALF_PATH_MAX];
	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(sub, sizeof(sub), "/tmp/%s", e->d_name);
			rm_tree(sub);
			rewinddir(d);
		}
	}
	if (d)
		closedir(d);
	chdir("/");
}

/* Write all of buf to fd: true when every byte went. */
static bool write_all(int fd, const void *buf, size_t len)
{
	return write(fd, buf, len) == (ssize_t)len;
}

static int create_write_read_back(void)
{
	pattern(chunk, 10000, 1);
	int fd = open("/tmp/a", O_CREAT | O_RDWR, 0644);
	EXPECT(fd >= 0);
	EXPECT(write_all(fd, chunk, 10000));
	EXPECT(lseek(fd, 0, SEEK_CUR) == 10000);
	EXPECT(lseek(fd, 0, SEEK_SET) == 0);
	memset(back, 0, sizeof(back));
	EXPECT(read(fd, back, sizeof(back)) == 10000);
	EXPECT(memcmp(chunk, back, 10000) == 0);
	EXPECT(read(fd, back, 10) == 0); /* end of file */
	EXPECT(close(fd) == 0);
	/* Again through a new open, in pieces that straddle pages. */
	fd = open("/tmp/a", O_RDONLY);
	EXPECT(fd >= 0);
	size_t got = 0;
	ssize_t n;
	while ((n = read(fd, back + got, 999)) > 0)
		got += (size_t)n;
	EXPECT(n == 0 && got == 10000);
	EXPECT(memcmp(chunk, back, 10000) == 0);
	EXPECT(close(fd) == 0);
	/* stdio over it. */
	FILE *f = fopen("/tmp/b", "w");
	EXPECT(f);
	EXPECT(fprintf(f, "hello %d\n", 42) == 9);
	EXPECT(fclose(f) == 0);
	char line[32];
	f = fopen("/tmp/b", "r");
	EXPECT(f && fgets(line, sizeof(line), f));
	EXPECT(strcmp(line, "hello 42\n") == 0);
	EXPECT(fclose(f) == 0);
	EXPECT(unlink("/tmp/a") == 0 && unlink("/tmp/b") == 0);
	struct stat st;
	EXPECT_ERR(stat("/tmp/a", &st), ENOENT);
	EXPECT_ERR(open("/tmp/a", O_RDONLY), ENOENT);
	return 0;
}

static int lseek_and_holes(void)
{
	int fd = open("/tmp/h", O_CREAT | O_RDWR, 0600);
	EXPECT(fd >= 0);
	EXPECT(write_all(fd, "0123456789", 10));
	EXPECT(lseek(fd, 2, SEEK_SET) == 2);
	EXPECT(lseek(fd, 3, SEEK_CUR) == 5);
	char c[4];
	EXPECT(read(fd, c, 2) == 2 && c[0] == '5' && c[1] == '6');
	EXPECT(lseek(fd, -1, SEEK_END) == 9);
	EXPECT(read(fd, c, 4) == 1 && c[0] == '9');
	EXPECT_ERR(lseek(fd, -11, SEEK_END), EINVAL);
	EXPECT_ERR(lseek(fd, 0, 42), EINVAL);
	EXPECT(lseek(fd, 0, SEEK_CUR) == 10); /* a refused seek moves nothing */
	/* Past the end: reads give end of file, a write leaves a hole of zeroes. */
	EXPECT(lseek(fd, 3 * MIB, SEEK_SET) == (off_t)(3 * MIB));
	EXPECT(read(fd, c, 4) == 0);
	EXPECT(write_all(fd, "end", 3));
	struct stat st;
	EXPECT(fstat(fd, &st) == 0);
	EXPECT(st.st_size == (off_t)(3 * MIB + 3));
	/* Two pages and one index page hold it, not 3 MiB. */
	EXPECT(st.st_blocks == 3 * (PAGE / 512));
	EXPECT(lseek(fd, 4096 + 100, SEEK_SET) == 4096 + 100);
	EXPECT(read(fd, back, CHUNK) == (ssize_t)CHUNK);
	for (size_t i = 0; i < CHUNK; i++)
		EXPECT(back[i] == 0);
	EXPECT(lseek(fd, 3 * MIB - 2, SEEK_SET) == (off_t)(3 * MIB - 2));
	EXPECT(read(fd, back, 10) == 5 && memcmp(back, "\0\0end", 5) == 0);
	EXPECT(close(fd) == 0);
	EXPECT(unlink("/tmp/h") == 0);
	/* Not seekable: the console. */
	EXPECT_ERR(lseek(0, 0, SEEK_CUR), ESPIPE);
	return 0;
}

static int open_flags(void)
{
	EXPECT_ERR(open("/tmp/o", O_RDONLY), ENOENT);
	int fd = open("/tmp/o", O_CREAT | O_EXCL | O_WRONLY, 0644);
	EXPECT(fd >= 0);
	EXPECT(write_all(fd, "abcdef", 6));
	EXPECT(close(fd) == 0);
	EXPECT_ERR(open("/tmp/o", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
	EXPECT_ERR(open("/tmp", O_CREAT | O_EXCL | O_RDONLY, 0644), EEXIST);
	/* O_CREAT without O_EXCL opens what is there, keeping its bytes. */
	fd = open("/tmp/o", O_CREAT | O_RDWR, 0644);
	EXPECT(fd >= 0);
	char b[8];
	EXPECT(read(fd, b, 8) == 6);
	/* O_APPEND: every write at the end, wherever the offset was. */
	EXPECT(close(fd) == 0);
	fd = open("/tmp/o", O_WRONLY | O_APPEND);
	EXPECT(fd >= 0);
	EXPECT(lseek(fd, 0, SEEK_SET) == 0);
	EXPECT(write_all(fd, "gh", 2));
	EXPECT(lseek(fd, 0, SEEK_CUR) == 8);
	EXPECT((fcntl(fd, F_GETFL) & O_APPEND) != 0);
	EXPECT(close(fd) == 0);
	fd = open("/tmp/o", O_RDONLY);
	EXPECT(read(fd, b, 8) == 8 && memcmp(b, "abcdefgh", 8) == 0);
	/* O_TRUNC on a read-only open leaves the file alone (POSIX: unspecified; we do nothing). */
	EXPECT(close(fd) == 0);
	/* O_TRUNC empties it and gives the frames back. */
	struct stat st;
	fd = open("/tmp/o", O_WRONLY | O_TRUNC);
	EXPECT(fd >= 0);
	EXPECT(fstat(fd, &st) == 0 && st.st_size == 0 && st.st_blocks == 0);
	EXPECT_ERR(read(fd, b, 1), EBADF); /* write-only */
	EXPECT(close(fd) == 0);
	/* Access modes are kept: a read-only descriptor cannot write. */
	fd = open("/tmp/o", O_RDONLY);
	EXPECT_ERR(write(fd, "x", 1), EBADF);
	EXPECT_ERR(ftruncate(fd, 0), EBADF);
	EXPECT(close(fd) == 0);
	EXPECT(unlink("/tmp/o") == 0);
	return 0;
}

static int enospc_then_everything_back(void)
{
	memset(chunk, 0x5A, sizeof(chunk));
	memset(back, 0, sizeof(back));
	struct calf_meminfo before = suite_meminfo();
	int fd = open("/tmp/full", O_CREAT | O_WRONLY, 0644);
	EXPECT(fd >= 0);
	uint64_t written = 0;
	ssize_t n;
	while ((n = write(fd, chunk, CHUNK)) == (ssize_t)CHUNK)
		written += CHUNK;
	if (n >= 0) /* a short write first, unless the limit fell on a chunk's end */
		written += (uint64_t)n;
	else
		EXPECT(errno == ENOSPC);
	EXPECT_ERR(write(fd, chunk, 1), ENOSPC); /* then none */
	/* The filesystem stops at half the frames: the rest stays for processes. */
	struct calf_meminfo full = suite_meminfo();
	uint32_t pages = (uint32_t)(written / PAGE);
	EXPECT(pages <= before.total / 2 && pages + 64 >= before.total / 2);
	EXPECT(full.uncharged - before.uncharged >= pages);
	EXPECT(full.free > before.total / 4);
	/* Still room to fork and to grow: a child touches 4 MiB of heap. */
	pid_t pid = fork();
	if (pid == 0) {
		char *p = malloc(4 * MIB);
		if (!p)
			_exit(1);
		memset(p, 1, 4 * MIB);
		_exit(0);
	}
	int status;
	EXPECT(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0);
	/* Making a name may need a frame too: ENOSPC or success, never anything else. */
	int fd2 = open("/tmp/more", O_CREAT | O_WRONLY, 0644);
	EXPECT(fd2 >= 0 || errno == ENOSPC);
	if (fd2 >= 0) {
		EXPECT_ERR(write(fd2, chunk, CHUNK), ENOSPC);
		EXPECT(close(fd2) == 0 && unlink("/tmp/more") == 0);
	}
	/* Cutting the file makes room again. */
	EXPECT(ftruncate(fd, (off_t)(written - 2 * CHUNK)) == 0);
	EXPECT(lseek(fd, 0, SEEK_END) == (off_t)(written - 2 * CHUNK));
	EXPECT(write(fd, chunk, CHUNK) == (ssize_t)CHUNK);
	EXPECT(close(fd) == 0);
	EXPECT(unlink("/tmp/full") == 0);
	EXPECT(frames_back(&before));
	return 0;
}

static int unlink_open_keeps_data(void)
{
	pattern(chunk, CHUNK, 7);
	memset(back, 0, sizeof(back));
	struct calf_meminfo before = suite_meminfo();
	int fd = open("/tmp/u", O_CREAT | O_RDWR, 0644);
	EXPECT(fd >= 0);
	EXPECT(write_all(fd, chunk, CHUNK));
	int fd2 = dup(fd);
	EXPECT(unlink("/tmp/u") == 0);
	struct stat st;
	EXPECT_ERR(stat("/tmp/u", &st), ENOENT);
	EXPECT(fstat(fd, &st) == 0 && st.st_nlink == 0 && st.st_size == (off_t)CHUNK);
	EXPECT(close(fd) == 0);
	/* The data stays until the last descriptor goes. */
	EXPECT(lseek(fd2, 0, SEEK_SET) == 0);
	EXPECT(read(fd2, back, CHUNK) == (ssize_t)CHUNK);
	EXPECT(memcmp(chunk, back, CHUNK) == 0);
	/* A new file of that name is another file. */
	int fd3 = open("/tmp/u", O_CREAT | O_EXCL | O_RDWR, 0644);
	EXPECT(fd3 >= 0);
	struct stat st3;
	EXPECT(fstat(fd3, &st3) == 0 && st3.st_size == 0 && st3.st_ino != st.st_ino);
	EXPECT(close(fd3) == 0 && unlink("/tmp/u") == 0);
	EXPECT(suite_meminfo().free < before.free); /* still held by fd2 */
	EXPECT(close(fd2) == 0);
	EXPECT(frames_back(&before));
	return 0;
}

/* Read directory path into names (comma-joined, in order, "." and ".." skipped): the count. */
static int list_dir(const char *path, char *names, size_t size)
{
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int n = 0;
	names[0] = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n++)
			strncat(names, ",", size - strlen(names) - 1);
		strncat(names, e->d_name, size - strlen(names) - 1);
	}
	closedir(d);
	return n;
}

static int directories(void)
{
	struct stat st;
	EXPECT(mkdir("/tmp/d", 0755) == 0);
	EXPECT_ERR(mkdir("/tmp/d", 0755), EEXIST);
	EXPECT(mkdir("/tmp/d/e", 0755) == 0 && mkdir("/tmp/d/f", 0755) == 0);
	EXPECT(stat("/tmp/d", &st) == 0 && S_ISDIR(st.st_mode) && st.st_nlink == 4);
	int fd = open("/tmp/d/file", O_CREAT | O_WRONLY, 0644);
	EXPECT(fd >= 0 && close(fd) == 0);
	char names[256];
	EXPECT(list_dir("/tmp/d", names, sizeof(names)) == 3);
	EXPECT(strcmp(names, "e,f,file") == 0);
	/* "." and ".." come first, with the inode numbers stat gives. */
	DIR *d = opendir("/tmp/d");
	EXPECT(d);
	struct dirent *e = readdir(d);
	struct stat dst, pst;
	EXPECT(stat("/tmp/d", &dst) == 0 && stat("/tmp", &pst) == 0);
	EXPECT(e && strcmp(e->d_name, ".") == 0 && e->d_ino == dst.st_ino && e->d_type == DT_DIR);
	e = readdir(d);
	EXPECT(e && strcmp(e->d_name, "..") == 0 && e->d_ino == pst.st_ino);
	e = readdir(d);
	EXPECT(e && strcmp(e->d_name, "e") == 0 && e->d_type == DT_DIR);
	closedir(d);
	EXPECT_ERR(rmdir("/tmp/d"), ENOTEMPTY);
	EXPECT_ERR(rmdir("/tmp/d/file"), ENOTDIR);
	EXPECT_ERR(unlink("/tmp/d/e"), EISDIR);
	EXPECT_ERR(rmdir("/tmp/d/nope"), ENOENT);
	EXPECT_ERR(mkdir("/tmp/nope/x", 0755), ENOENT);
	/* rename: a file over a file, a directory over an empty one, into its own subtree. */
	fd = open("/tmp/d/g", O_CREAT | O_WRONLY, 0644);
	EXPECT(fd >= 0 && write_all(fd, "g", 1) && close(fd) == 0);
	EXPECT(rename("/tmp/d/g", "/tmp/d/file") == 0);
	EXPECT(stat("/tmp/d/file", &st) == 0 && st.st_size == 1);
	EXPECT_ERR(stat("/tmp/d/g", &st), ENOENT);
	EXPECT(rename("/tmp/d/e", "/tmp/d/f") == 0);
	EXPECT(stat("/tmp/d", &st) == 0 && st.st_nlink == 3);
	EXPECT(mkdir("/tmp/d/f/sub", 0755) == 0);
	EXPECT_ERR(rename("/tmp/d", "/tmp/d/f/sub/d"), EINVAL);
	EXPECT(mkdir("/tmp/x", 0755) == 0);
	EXPECT_ERR(rename("/tmp/x", "/tmp/d"), ENOTEMPTY);
	EXPECT_ERR(rename("/tmp/x", "/tmp/d/file"), ENOTDIR);
	EXPECT_ERR(rename("/tmp/d/file", "/tmp/x"), EISDIR);
	EXPECT_ERR(rename("/tmp/nope", "/tmp/y"), ENOENT);
	/* Across directories: the moved directory's ".." follows. */
	EXPECT(rename("/tmp/d/f", "/tmp/x/f") == 0);
	EXPECT(stat("/tmp/x", &st) == 0 && st.st_nlink == 3);
	EXPECT(stat("/tmp/d", &st) == 0 && st.st_nlink == 2);
	EXPECT(stat("/tmp/x/f/sub/..", &st) == 0 && stat("/tmp/x/f", &dst) == 0);
	EXPECT(st.st_ino == dst.st_ino);
	EXPECT(stat("/tmp/x/f/..", &st) == 0 && stat("/tmp/x", &dst) == 0 && st.st_ino == dst.st_ino);
	EXPECT(rename("/tmp/d/file", "/tmp/d/file") == 0); /* the same file: nothing happens */
	EXPECT(rmdir("/tmp/x/f/sub") == 0 && rmdir("/tmp/x/f") == 0 && rmdir("/tmp/x") == 0);
	EXPECT(unlink("/tmp/d/file") == 0 && rmdir("/tmp/d") == 0);
	/* Trailing slashes name directories. */
	EXPECT(mkdir("/tmp/t/", 0755) == 0);
	EXPECT(rename("/tmp/t/", "/tmp/u/") == 0);
	EXPECT(stat("/tmp/u/", &st) == 0 && S_ISDIR(st.st_mode));
	EXPECT(rmdir("/tmp/u/") == 0);
	/* Trailing slashes name directories. */
	EXPECT(mkdir("/tmp/t/", 0755) == 0);
	EXPECT(rename("/tmp/t/", "/tmp/u/") == 0);
	EXPECT(stat("/tmp/u/", &st) == 0 && S_ISDIR(st.st_mode));
	EXPECT(rmdir("/tmp/u/") == 0);
	EXPECT(list_dir("/tmp", names, sizeof(names)) == 0);
	/* The root holds what vfs_init made. */
	EXPECT(list_dir("/", names, sizeof(names)) == 3);
	EXPECT(strcmp(names, "bin,dev,tmp") == 0);
	return 0;
}

static int many_entries(void)
{
	char name[32];
	static bool seen[200];
	memset(seen, 0, sizeof(seen)); /* paged in before counting */
	EXPECT(mkdir("/tmp/m", 0755) == 0);
	struct calf_meminfo before = suite_meminfo();
	const int count = 200;
	for (int i = 0; i < count; i++) {
		snprintf(name, sizeof(name), "/tmp/m/entry-%03d", i);
		int fd = open(name, O_CREAT | O_EXCL | O_WRONLY, 0644);
		EXPECT(fd >= 0 && close(fd) == 0);
	}
	struct stat st;
	EXPECT(stat("/tmp/m", &st) == 0 && st.st_size == count + 2);
	DIR *d = opendir("/tmp/m");
	EXPECT(d);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		int k;
		if (sscanf(e->d_name, "entry-%d", &k) == 1) {
			EXPECT(k >= 0 && k < count && !seen[k]);
			seen[k] = true;
			n++;
		}
	}
	closedir(d);
	EXPECT(n == count);
	for (int i = 0; i < count; i++) {
		snprintf(name, sizeof(name), "/tmp/m/entry-%03d", i);
		EXPECT(unlink(name) == 0);
	}
	EXPECT(stat("/tmp/m", &st) == 0 && st.st_size == 2 && st.st_blocks == 0);
	EXPECT(frames_back(&before));
	EXPECT(rmdir("/tmp/m") == 0);
	return 0;
}

static int cwd_and_relative_paths(void)
{
	char buf[CALF_PATH_MAX];
	EXPECT(getcwd(buf, sizeof(buf)) && strcmp(buf, "/") == 0);
	EXPECT(mkdir("/tmp/c", 0755) == 0 && mkdir("/tmp/c/d", 0755) == 0);
	EXPECT(chdir("/tmp/c") == 0);
	EXPECT(getcwd(buf, sizeof(buf)) && strcmp(buf, "/tmp/c") == 0);
	int fd = open("rel", O_CREAT | O_WRONLY, 0644);
	EXPECT(fd >= 0 && close(fd) == 0);
	struct stat st;
	EXPECT(stat("/tmp/c/rel", &st) == 0);
	EXPECT(stat("./d/../rel", &st) == 0);
	EXPECT(chdir("d") == 0);
	EXPECT(getcwd(buf, sizeof(buf)) && strcmp(buf, "/tmp/c/d") == 0);
	EXPECT(stat("../rel", &st) == 0);
	EXPECT(chdir("../..") == 0);
	EXPECT(getcwd(buf, sizeof(buf)) && strcmp(buf, "/tmp") == 0);
	EXPECT(chdir("/..") == 0); /* the root's ".." is itself */
	EXPECT(getcwd(buf, sizeof(buf)) && strcmp(buf, "/") == 0);
	EXPECT(chdir("dev") == 0); /* a mount point: the mounted root's path */
	EXPECT(getcwd(buf, sizeof(buf)) && strcmp(buf, "/dev") == 0);
	EXPECT(chdir("..") == 0);
	EXPECT(getcwd(buf, sizeof(buf)) && strcmp(buf, "/") == 0);
	EXPECT_ERR(chdir("/tmp/c/rel"), ENOTDIR);
	EXPECT_ERR(chdir("/tmp/c/none"), ENOENT);
	EXPECT(chdir("/tmp/c/d") == 0);
	char small[5];
	EXPECT(getcwd(small, sizeof(small)) == NULL && errno == ERANGE);
	/* The working directory removed: getcwd says ENOENT, nothing can be made in it. */
	EXPECT(rmdir("/tmp/c/d") == 0);
	EXPECT(getcwd(buf, sizeof(buf)) == NULL && errno == ENOENT);
	EXPECT_ERR(open("x", O_CREAT | O_WRONLY, 0644), ENOENT);
	EXPECT_ERR(mkdir("y", 0755), ENOENT);
	EXPECT(chdir("/") == 0);
	EXPECT(unlink("/tmp/c/rel") == 0 && rmdir("/tmp/c") == 0);
	return 0;
}

static int fork_shares_offset(void)
{
	int shared_fd = open("/tmp/s", O_CREAT | O_RDWR | O_TRUNC, 0644);
	EXPECT(shared_fd >= 0);
	pid_t pid = fork();
	if (pid == 0) /* the child writes through the shared offset and reads it */
		_exit(write_all(shared_fd, "child-", 6) && lseek(shared_fd, 0, SEEK_CUR) == 6 ? 0 : 1);
	int status;
	EXPECT(pid > 0 && waitpid(pid, &status, 0) == pid && suite_exited_ok(status));
	EXPECT(lseek(shared_fd, 0, SEEK_CUR) == 6); /* one open file, one offset */
	EXPECT(write_all(shared_fd, "parent", 6));
	char b[16];
	EXPECT(lseek(shared_fd, 0, SEEK_SET) == 0);
	EXPECT(read(shared_fd, b, sizeof(b)) == 12 && memcmp(b, "child-parent", 12) == 0);
	/* Separate opens have separate offsets. */
	int fd = open("/tmp/s", O_RDONLY);
	EXPECT(fd >= 0 && read(fd, b, 5) == 5 && memcmp(b, "child", 5) == 0);
	EXPECT(close(fd) == 0 && close(shared_fd) == 0);
	EXPECT(unlink("/tmp/s") == 0);
	return 0;
}

static int stat_fields(void)
{
	struct stat st, st2, dst;
	uint64_t t0 = calf_clock_ns();
	int fd = open("/tmp/st", O_CREAT | O_RDWR, 0640);
	EXPECT(fd >= 0);
	EXPECT(fstat(fd, &st) == 0);
	EXPECT(S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0640);
	EXPECT(st.st_nlink == 1 && st.st_size == 0 && st.st_blocks == 0 && st.st_blksize == 4096);
	EXPECT(stat("/tmp", &dst) == 0 && st.st_dev == dst.st_dev && st.st_ino != dst.st_ino);
	uint64_t m0 = (uint64_t)st.st_mtim.tv_sec * 1000000000u + (uint64_t)st.st_mtim.tv_nsec;
	EXPECT(m0 >= t0 && m0 <= calf_clock_ns());
	EXPECT(write_all(fd, chunk, 5000));
	EXPECT(fstat(fd, &st2) == 0 && stat("/tmp/st", &st) == 0);
	EXPECT(st2.st_ino == st.st_ino && st.st_size == 5000 && st.st_blocks == 3 * 8);
	uint64_t m1 = (uint64_t)st.st_mtim.tv_sec * 1000000000u + (uint64_t)st.st_mtim.tv_nsec;
	EXPECT(m1 > m0);
	/* Directories: nlink counts "." and every subdirectory's "..". */
	EXPECT(S_ISDIR(dst.st_mode) && dst.st_nlink == 2);
	EXPECT(mkdir("/tmp/sub", 0700) == 0);
	EXPECT(stat("/tmp", &dst) == 0 && dst.st_nlink == 3);
	EXPECT(stat("/tmp/sub", &dst) == 0 && (dst.st_mode & 0777) == 0700);
	/* The other filesystems answer with their own device numbers. */
	struct stat bst;
	EXPECT(stat("/bin", &bst) == 0 && S_ISDIR(bst.st_mode) && bst.st_dev != st.st_dev);
	EXPECT(close(fd) == 0 && unlink("/tmp/st") == 0 && rmdir("/tmp/sub") == 0);
	return 0;
}

static int big_file_and_truncate(void)
{
	const uint32_t size = 8 * MIB;
	memset(chunk, 0, sizeof(chunk)); /* our own copies of the buffers, before counting */
	memset(back, 0, sizeof(back));
	struct calf_meminfo before = suite_meminfo();
	int fd = open("/tmp/big", O_CREAT | O_RDWR, 0644);
	EXPECT(fd >= 0);
	for (uint32_t at = 0; at < size; at += CHUNK) {
		pattern(chunk, CHUNK, at);
		EXPECT(write_all(fd, chunk, CHUNK));
	}
	struct stat st;
	EXPECT(fstat(fd, &st) == 0 && st.st_size == (off_t)size);
	/* Its pages, three index pages (the top and two leaves). */
	EXPECT(st.st_blocks == (size / PAGE + 3) * 8);
	for (uint32_t at = size; at > 0;) {
		at -= CHUNK;
		EXPECT(lseek(fd, (off_t)at, SEEK_SET) == (off_t)at);
		EXPECT(read(fd, back, CHUNK) == (ssize_t)CHUNK);
		pattern(chunk, CHUNK, at);
		EXPECT(memcmp(chunk, back, CHUNK) == 0);
	}
	/* Down: the frames come back; up again: zeroes, no frames. */
	uint32_t free_full = suite_meminfo().free;
	EXPECT(ftruncate(fd, (off_t)(MIB + 10)) == 0);
	EXPECT(suite_meminfo().free >= free_full + (size - 2 * MIB) / PAGE);
	EXPECT(ftruncate(fd, (off_t)(2 * MIB)) == 0);
	EXPECT(fstat(fd, &st) == 0 && st.st_size == (off_t)(2 * MIB));
	EXPECT(lseek(fd, (off_t)MIB, SEEK_SET) == (off_t)MIB);
	EXPECT(read(fd, back, 20) == 20);
	pattern(chunk, CHUNK, MIB);
	EXPECT(memcmp(back, chunk, 10) == 0);
	for (int i = 10; i < 20; i++)
		EXPECT(back[i] == 0);
	EXPECT_ERR(ftruncate(fd, -1), EINVAL);
	EXPECT(close(fd) == 0);
	EXPECT(truncate("/tmp/big", 0) == 0);
	EXPECT(stat("/tmp/big", &st) == 0 && st.st_size == 0 && st.st_blocks == 0);
	EXPECT(unlink("/tmp/big") == 0);
	EXPECT(frames_back(&before));
	return 0;
}

/* A string with no NUL that ends where the heap's mapped memory ends. */
static const char *unterminated_at_heap_end(void)
{
	uintptr_t end = (uintptr_t)calf_syscall(CALF_SYS_brk, 0, 0, 0);
	if ((uintptr_t)sbrk(0) + 64 > end)
		sbrk(PAGE); /* make sure some heap is mapped below the end */
	end = (uintptr_t)calf_syscall(CALF_SYS_brk, 0, 0, 0);
	char *s = (char *)end - 16;
	memset(s, 'a', 16);
	return s;
}

static int bad_descriptors_and_pointers(void)
{
	char b[8];
	struct stat st;
	EXPECT_ERR(read(-1, b, 1), EBADF);
	EXPECT_ERR(read(CALF_OPEN_MAX, b, 1), EBADF);
	EXPECT_ERR(write(17, b, 1), EBADF);
	EXPECT_ERR(close(17), EBADF);
	EXPECT_ERR(fstat(17, &st), EBADF);
	EXPECT_ERR(lseek(17, 0, SEEK_SET), EBADF);
	EXPECT_ERR(dup(17), EBADF);
	int fd = open("/tmp/p", O_CREAT | O_RDWR, 0644);
	EXPECT(fd >= 0 && write_all(fd, "data", 4) && lseek(fd, 0, SEEK_SET) == 0);
	EXPECT(close(fd) == 0);
	EXPECT_ERR(read(fd, b, 1), EBADF); /* closed */
	fd = open("/tmp/p", O_RDWR);
	EXPECT_ERR(read(fd, (void *)16, 4), EFAULT);
	EXPECT_ERR(write(fd, (void *)16, 4), EFAULT);
	EXPECT_ERR(read(fd, (void *)0xFFFFF000u, 4), EFAULT);
	EXPECT(lseek(fd, 0, SEEK_CUR) == 0); /* nothing moved */
	EXPECT(fstat(fd, &st) == 0 && st.st_size == 4);
	EXPECT_ERR(fstat(fd, (struct stat *)16), EFAULT);
	EXPECT(calf_syscall(CALF_SYS_fstat, (uint32_t)fd, 16, 0) == -EFAULT);
	EXPECT(calf_syscall(CALF_SYS_stat, (uint32_t)"/tmp/p", 16, 0) == -EFAULT);
	EXPECT_ERR(open((const char *)16, O_RDONLY), EFAULT);
	EXPECT_ERR(stat((const char *)16, &st), EFAULT);
	EXPECT_ERR(mkdir((const char *)16, 0755), EFAULT);
	EXPECT_ERR(unlink((const char *)16), EFAULT);
	EXPECT_ERR(rename("/tmp/p", (const char *)16), EFAULT);
	EXPECT_ERR(chdir((const char *)16), EFAULT);
	EXPECT(calf_syscall(CALF_SYS_getcwd, 16, 100, 0) == -EFAULT);
	EXPECT(calf_syscall(CALF_SYS_getdents, (uint32_t)fd, (uint32_t)chunk, 1024) == -ENOTDIR);
	int dfd = open("/tmp", O_RDONLY | O_DIRECTORY);
	EXPECT(dfd >= 0);
	EXPECT(calf_syscall(CALF_SYS_getdents, (uint32_t)dfd, (uint32_t)b, sizeof(b)) == -EINVAL);
	EXPECT(calf_syscall(CALF_SYS_getdents, (uint32_t)dfd, 16, 1024) == -EFAULT);
	EXPECT_ERR(read(dfd, b, 1), EISDIR);
	EXPECT(close(dfd) == 0);
	/* A path with no NUL running off mapped memory, and an empty path. */
	EXPECT_ERR(open(unterminated_at_heap_end(), O_RDONLY), EFAULT);
	EXPECT_ERR(open("", O_RDONLY), ENOENT);
	EXPECT(close(fd) == 0 && unlink("/tmp/p") == 0);
	return 0;
}

static int names_too_long(void)
{
	static char path[CALF_PATH_MAX + 64];
	/* A component of CALF_NAME_MAX bytes is fine; one more is not. */
	strcpy(path, "/tmp/");
	memset(path + 5, 'n', CALF_NAME_MAX);
	path[5 + CALF_NAME_MAX] = 0;
	int fd = open(path, O_CREAT | O_WRONLY, 0644);
	EXPECT(fd >= 0 && close(fd) == 0);
	char names[128];
	EXPECT(list_dir("/tmp", names, sizeof(names)) == 1 && strlen(names) == CALF_NAME_MAX);
	EXPECT(unlink(path) == 0);
	path[5 + CALF_NAME_MAX] = 'n';
	path[6 + CALF_NAME_MAX] = 0;
	EXPECT_ERR(open(path, O_CREAT | O_WRONLY, 0644), ENAMETOOLONG);
	EXPECT_ERR(mkdir(path, 0755), ENAMETOOLONG);
	struct stat st;
	EXPECT_ERR(stat(path, &st), ENAMETOOLONG);
	/* A whole path of CALF_PATH_MAX - 1 bytes is taken; one more byte is not. */
	memset(path, 0, sizeof(path));
	for (size_t i = 0; i < CALF_PATH_MAX - 1; i += 2)
		memcpy(path + i, "./", 2);
	path[CALF_PATH_MAX - 2] = '.';
	path[CALF_PATH_MAX - 1] = 0;
	EXPECT(strlen(path) == CALF_PATH_MAX - 1);
	EXPECT(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
	memset(path, '/', CALF_PATH_MAX);
	path[CALF_PATH_MAX] = 0;
	EXPECT_ERR(stat(path, &st), ENAMETOOLONG);
	/* No NUL anywhere within CALF_PATH_MAX, in mapped memory. */
	memset(path, 'a', sizeof(path));
	EXPECT_ERR(open(path, O_RDONLY), ENAMETOOLONG);
	return 0;
}

static int wrong_kinds_and_read_only(void)
{
	int fd = open("/tmp/f", O_CREAT | O_WRONLY, 0644);
	EXPECT(fd >= 0 && close(fd) == 0);
	/* Directories are not written to. */
	EXPECT_ERR(open("/tmp", O_WRONLY), EISDIR);
	EXPECT_ERR(open("/tmp", O_RDWR), EISDIR);
	EXPECT_ERR(open("/", O_WRONLY | O_CREAT, 0644), EISDIR);
	/* A file is not a directory. */
	EXPECT_ERR(open("/tmp/f", O_RDONLY | O_DIRECTORY), ENOTDIR);
	EXPECT_ERR(open("/tmp/f/", O_RDONLY), ENOTDIR);
	EXPECT_ERR(open("/tmp/f/x", O_RDONLY), ENOTDIR);
	EXPECT_ERR(open("/tmp/f/x", O_CREAT | O_WRONLY, 0644), ENOTDIR);
	EXPECT_ERR(mkdir("/tmp/f/x", 0755), ENOTDIR);
	EXPECT(opendir("/tmp/f") == NULL && errno == ENOTDIR);
	EXPECT_ERR(unlink("/tmp/f/"), ENOTDIR);
	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	EXPECT(fd >= 0 && close(fd) == 0);
	/* Roots and mount points stay. */
	EXPECT_ERR(rmdir("/"), EBUSY);
	EXPECT_ERR(rmdir("/dev"), EBUSY);
	EXPECT_ERR(rmdir("/bin"), EBUSY);
	EXPECT_ERR(rename("/dev", "/tmp/dev"), EBUSY);
	EXPECT_ERR(rmdir("/tmp/."), EINVAL);
	EXPECT_ERR(mkdir("/", 0755), EEXIST);
	/* /bin is read-only, and renames do not cross filesystems. */
	EXPECT_ERR(open("/bin/new", O_CREAT | O_WRONLY, 0644), EROFS);
	EXPECT_ERR(mkdir("/bin/d", 0755), EROFS);
	EXPECT_ERR(unlink("/bin/fstest"), EROFS);
	EXPECT_ERR(open("/bin/fstest", O_WRONLY), EROFS);
	EXPECT_ERR(open("/bin/fstest", O_RDWR | O_TRUNC), EROFS);
	EXPECT_ERR(rename("/tmp/f", "/bin/f"), EXDEV);
	struct stat st;
	EXPECT(stat("/bin/fstest", &st) == 0 && S_ISREG(st.st_mode));
	EXPECT(unlink("/tmp/f") == 0);
	return 0;
}

/* Calls Calf does not provide link (apps/lib/enosys.c) and fail at run time with ENOSYS. */
static int missing_calls_fail_with_enosys(void)
{
	int fd = open("/tmp/f", O_CREAT | O_WRONLY, 0644);
	EXPECT(fd >= 0 && close(fd) == 0);
	EXPECT_ERR(chmod("/tmp/f", 0600), ENOSYS);
	EXPECT_ERR(symlink("/tmp/f", "/tmp/g"), ENOSYS);
	EXPECT_ERR(link("/tmp/f", "/tmp/g"), ENOSYS); /* newlib's link() calls the _link hook */
	errno = 0;
	EXPECT(getpwnam("root") == NULL && errno == ENOSYS);
	errno = 0;
	EXPECT(clock() == (clock_t)-1 && errno == ENOSYS); /* the _times hook */
	struct itimerval it = { 0 };
	EXPECT_ERR(setitimer(ITIMER_REAL, &it, NULL), ENOSYS);
	EXPECT(access("/tmp/g", F_OK) == -1 && errno == ENOENT); /* nothing was made */
	EXPECT(unlink("/tmp/f") == 0);
	return 0;
}

/* The calls whose whole answer is simple on Calf (apps/lib/posix.c). */
static int simple_posix_answers(void)
{
	EXPECT(getuid() == 0 && geteuid() == 0 && getgid() == 0 && getegid() == 0);
	EXPECT(setuid(0) == 0);
	EXPECT_ERR(setuid(1), EPERM);
	EXPECT(sysconf(_SC_PAGESIZE) == 4096 && getpagesize() == 4096);
	EXPECT(sysconf(_SC_OPEN_MAX) == CALF_OPEN_MAX && sysconf(_SC_NPROCESSORS_ONLN) == 1);
	EXPECT_ERR(sysconf(-1), EINVAL);
	void *p = NULL;
	EXPECT(posix_memalign(&p, 256, 1000) == 0 && ((uintptr_t)p & 255) == 0);
	free(p);
	EXPECT(posix_memalign(&p, 24, 8) == EINVAL);
	EXPECT(access("/bin/sh", X_OK) == 0 && access("/tmp", X_OK) == 0);
	EXPECT(access("/nonexistent", F_OK) == -1 && errno == ENOENT);
	int fd = open("/tmp/f", O_CREAT | O_WRONLY, 0644);
	EXPECT(fd >= 0 && fsync(fd) == 0 && close(fd) == 0);
	EXPECT_ERR(fsync(fd), EBADF);
	EXPECT(access("/tmp/f", X_OK) == -1 && errno == EACCES);
	EXPECT(unlink("/tmp/f") == 0);
	EXPECT(umask(077) == 022 && umask(022) == 077);
	char host[16];
	EXPECT(gethostname(host, sizeof(host)) == 0 && strcmp(host, "calf") == 0);
	char a[] = "/usr/lib/", b[] = "/usr/lib/", c[] = "name", d[] = "/";
	EXPECT(strcmp(dirname(a), "/usr") == 0 && strcmp(basename(b), "lib") == 0);
	EXPECT(strcmp(dirname(c), ".") == 0 && strcmp(dirname(d), "/") == 0);
	return 0;
}

int main(void)
{
	static const struct suite_case cases[] = {
		SUITE_CASE(create_write_read_back),
		SUITE_CASE(lseek_and_holes),
		SUITE_CASE(open_flags),
		SUITE_CASE(unlink_open_keeps_data),
		SUITE_CASE(directories),
		SUITE_CASE(many_entries),
		SUITE_CASE(cwd_and_relative_paths),
		SUITE_CASE(fork_shares_offset),
		SUITE_CASE(stat_fields),
		SUITE_CASE(big_file_and_truncate),
		SUITE_CASE(bad_descriptors_and_pointers),
		SUITE_CASE(names_too_long),
		SUITE_CASE(wrong_kinds_and_read_only),
		SUITE_CASE(enospc_then_everything_back),
		SUITE_CASE(missing_calls_fail_with_enosys),
		SUITE_CASE(simple_posix_answers),
	};
	printf("fstest: the RAM filesystem and the file calls\n");
	suite_child_prologue = tmp_clean;
	struct suite_tally t = { 0 };
	suite_run(cases, sizeof(cases) / sizeof(cases[0]), &t);
	return suite_end(&t);
}
