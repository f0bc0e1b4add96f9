/*
 * fdtest.c - the on-target descriptor suite: descriptor tables across fork
 * and dup, fcntl, the namespace's fixed parts (/, /bin, /dev), path
 * resolution and its errors, and ps's view of tasks (calf_taskinfo).
 * Files in the RAM filesystem have their own suite (fstest.c).
 *
 * Each case runs in its own forked task (suite.h); the suite prints
 * PASS/FAIL per case and "N passed, N failed", and exits with the number
 * of failures.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <calf.h>
#include "suite.h"

#define PAGE 4096u

/* True when call failed with -1 and errno e. */
static bool fails_with(int result, int e)
{
	return result == -1 && errno == e;
}

/* The first bytes of every packed app: an ELF header. */
static const char elf_magic[4] = { 0x7f, 'E', 'L', 'F' };

static int console_is_fds_0_to_2(void)
{
	for (int fd = 0; fd < 3; fd++) {
		struct stat st;
		EXPECT(fstat(fd, &st) == 0);
		EXPECT(S_ISCHR(st.st_mode));
		EXPECT(isatty(fd) == 1);
	}
	struct stat a, b;
	EXPECT(stat("/dev/console", &a) == 0 && fstat(1, &b) == 0);
	EXPECT(a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	EXPECT(fails_with(lseek(1, 0, SEEK_SET), ESPIPE));
	return 0;
}

static int bad_descriptors_give_ebadf(void)
{
	char c;
	struct stat st;
	EXPECT(fails_with((int)read(-1, &c, 1), EBADF));
	EXPECT(fails_with((int)write(CALF_OPEN_MAX, &c, 1), EBADF));
	EXPECT(fails_with((int)read(17, &c, 1), EBADF));
	EXPECT(fails_with(close(17), EBADF));
	EXPECT(fails_with(fstat(17, &st), EBADF));
	EXPECT(fails_with(dup(17), EBADF));
	EXPECT(fails_with(dup2(17, 4), EBADF));
	EXPECT(fails_with(dup2(1, CALF_OPEN_MAX), EBADF));
	EXPECT(fails_with(dup2(1, -1), EBADF));
	EXPECT(fails_with(fcntl(17, F_GETFD), EBADF));
	EXPECT(fails_with((int)lseek(17, 0, SEEK_SET), EBADF));
	EXPECT(isatty(17) == 0 && errno == EBADF);
	/* Read-only and write-only ends refuse the other direction. */
	int r = open("/dev/zero", O_RDONLY);
	int w = open("/dev/null", O_WRONLY);
	EXPECT(r >= 0 && w >= 0);
	EXPECT(fails_with((int)write(r, "x", 1), EBADF));
	EXPECT(fails_with((int)read(w, &c, 1), EBADF));
	EXPECT(close(r) == 0 && close(w) == 0);
	EXPECT(fails_with(close(r), EBADF));
	return 0;
}

static int lowest_free_descriptor_and_emfile(void)
{
	int fds[CALF_OPEN_MAX];
	int n = 0;
	for (;;) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd < 0) {
			EXPECT(errno == EMFILE);
			break;
		}
		fds[n++] = fd;
		EXPECT(n <= CALF_OPEN_MAX - 3);
	}
	EXPECT(n == CALF_OPEN_MAX - 3);
	EXPECT(fds[0] == 3 && fds[n - 1] == CALF_OPEN_MAX - 1);
	EXPECT(fails_with(dup(0), EMFILE));
	EXPECT(close(fds[5]) == 0);
	EXPECT(open("/dev/zero", O_RDONLY) == fds[5]); /* the lowest free one, POSIX */
	for (int i = 0; i < n; i++)
		EXPECT(close(fds[i]) == 0);
	return 0;
}

static int dup_shares_the_offset(void)
{
	int fd = open("/bin/hello", O_RDONLY);
	EXPECT(fd >= 0);
	int d = dup(fd);
	EXPECT(d > fd);
	char buf[4];
	EXPECT(read(fd, buf, 4) == 4 && memcmp(buf, elf_magic, 4) == 0);
	EXPECT(lseek(d, 0, SEEK_CUR) == 4);
	EXPECT(read(d, buf, 2) == 2);
	EXPECT(lseek(fd, 0, SEEK_CUR) == 6);
	EXPECT(close(fd) == 0);
	EXPECT(read(d, buf, 1) == 1); /* the file lives while a descriptor names it */
	EXPECT(close(d) == 0);
	return 0;
}

static int dup2_over_an_open_descriptor_closes_it(void)
{
	int zero = open("/dev/zero", O_RDONLY);
	int bin = open("/bin/hello", O_RDONLY);
	EXPECT(zero >= 0 && bin >= 0);
	EXPECT(fcntl(bin, F_SETFD, FD_CLOEXEC) == 0);
	EXPECT(dup2(zero, bin) == bin);
	char buf[4] = { 1, 1, 1, 1 };
	EXPECT(read(bin, buf, 4) == 4 && buf[0] == 0 && buf[3] == 0); /* now /dev/zero */
	EXPECT(fcntl(bin, F_GETFD) == 0); /* dup2 clears close-on-exec (POSIX) */
	EXPECT(dup2(bin, bin) == bin);   /* the same descriptor: nothing closes */
	EXPECT(read(bin, buf, 1) == 1);
	EXPECT(close(zero) == 0 && close(bin) == 0);
	return 0;
}

static int fcntl_flags_and_dupfd(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	EXPECT(fd >= 0);
	EXPECT(fcntl(fd, F_GETFD) == FD_CLOEXEC);
	EXPECT(fcntl(fd, F_SETFD, 0) == 0 && fcntl(fd, F_GETFD) == 0);
	EXPECT((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
	EXPECT(fcntl(fd, F_SETFL, O_NONBLOCK | O_APPEND | O_WRONLY) == 0);
	int fl = fcntl(fd, F_GETFL);
	EXPECT((fl & O_NONBLOCK) && (fl & O_APPEND) && (fl & O_ACCMODE) == O_RDWR); /* mode stays */
	int d = fcntl(fd, F_DUPFD, 20);
	EXPECT(d == 20 && fcntl(d, F_GETFD) == 0);
	EXPECT((fcntl(d, F_GETFL) & O_NONBLOCK) != 0); /* status flags are the file's, shared */
	int c = fcntl(fd, F_DUPFD_CLOEXEC, 20);
	EXPECT(c == 21 && fcntl(c, F_GETFD) == FD_CLOEXEC);
	EXPECT(fails_with(fcntl(fd, F_DUPFD, CALF_OPEN_MAX), EINVAL));
	EXPECT(fails_with(fcntl(fd, 999), EINVAL));
	EXPECT(close(fd) == 0 && close(d) == 0 && close(c) == 0);
	return 0;
}

/* The child reads two bytes from the inherited file and closes its copy. */
static int fork_child_reads(int fd)
{
	char buf[2];
	if (read(fd, buf, 2) != 2)
		return 1;
	return close(fd) == 0 ? 0 : 2;
}

static int fork_inherits_descriptors_and_offsets(void)
{
	int fd = open("/bin/hello", O_RDONLY);
	EXPECT(fd >= 0);
	char buf[4];
	EXPECT(read(fd, buf, 4) == 4);
	pid_t pid = fork();
	if (pid == 0)
		_exit(fork_child_reads(fd));
	int st;
	EXPECT(pid > 0 && waitpid(pid, &st, 0) == pid && suite_exited_ok(st));
	EXPECT(lseek(fd, 0, SEEK_CUR) == 6); /* one open file: the child's read moved it */
	EXPECT(read(fd, buf, 1) == 1);      /* its close left the parent's descriptor open */
	EXPECT(close(fd) == 0);
	return 0;
}

#define BIG_FILE_SIZE (8u << 20)

/* Fill path with BIG_FILE_SIZE bytes; 0 or -1. */
static int big_file_make(const char *path)
{
	static char chunk[64 * 1024];
	memset(chunk, 'x', sizeof(chunk));
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	for (unsigned done = 0; done < BIG_FILE_SIZE; done += sizeof(chunk))
		if (write(fd, chunk, sizeof(chunk)) != (ssize_t)sizeof(chunk))
			return -1;
	return close(fd);
}

/* The child: say it starts, read the whole shared file into fresh memory, report the count. */
static int big_read_child(int fd, int report)
{
	char *buf = malloc(BIG_FILE_SIZE);
	int32_t got = -1;
	if (!buf || write(report, "s", 1) != 1)
		return 1;
	got = (int32_t)read(fd, buf, BIG_FILE_SIZE);
	return write(report, &got, sizeof(got)) == sizeof(got) ? 0 : 2;
}

/* Pages resident in task pid's address space, or 0 if it is gone. */
static uint32_t resident_of(pid_t pid)
{
	struct calf_taskinfo ti;
	for (int c = 0; (c = calf_taskinfo(c, &ti)) > 0;)
		if (ti.pid == pid)
			return ti.resident;
	return 0;
}

/*
 * An lseek in the middle of another task's read of the same open file
 * waits for it (POSIX 2.9.7): either the read began after the seek (it
 * returns less than the whole file) or the seek's offset is what is left.
 * A seek slipped in mid-read would be overwritten by the read's end.
 */
static int lseek_is_atomic_with_a_read_in_flight(void)
{
	EXPECT(big_file_make("/tmp/fdtest.big") == 0);
	int fd = open("/tmp/fdtest.big", O_RDONLY), p[2];
	EXPECT(fd >= 0 && pipe(p) == 0);
	pid_t pid = fork();
	if (pid == 0)
		_exit(big_read_child(fd, p[1]));
	EXPECT(pid > 0 && calf_setprio(0, 4) >= 0); /* the parent preempts the reader */
	char c;
	int32_t got;
	EXPECT(read(p[0], &c, 1) == 1);
	/* Seek once the read is under way: its buffer's pages start to appear (2048 in all). */
	uint32_t before = resident_of(pid);
	for (int i = 0; i < 1000 && resident_of(pid) < before + 64; i++)
		usleep(200);
	EXPECT(lseek(fd, 5, SEEK_SET) == 5);
	EXPECT(read(p[0], &got, sizeof(got)) == sizeof(got));
	int st;
	EXPECT(waitpid(pid, &st, 0) == pid && suite_exited_ok(st));
	off_t end = lseek(fd, 0, SEEK_CUR);
	printf("    read %ld bytes, offset after both %ld\n", (long)got, (long)end);
	if (got == (int32_t)BIG_FILE_SIZE)
		EXPECT(end == 5);
	else
		EXPECT(got == (int32_t)BIG_FILE_SIZE - 5 && end == (off_t)BIG_FILE_SIZE);
	EXPECT(close(fd) == 0 && unlink("/tmp/fdtest.big") == 0);
	return 0;
}

static int root_bin_and_dev_are_listed(void)
{
	const char *want_root[] = { ".", "..", "bin", "dev", "tmp" };
	const char *want_dev[] = { "console", "null", "zero" };
	DIR *d = opendir("/");
	EXPECT(d);
	unsigned seen = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		for (unsigned i = 0; i < 5; i++)
			if (strcmp(e->d_name, want_root[i]) == 0 && e->d_type == DT_DIR)
				seen |= 1u << i;
	EXPECT(closedir(d) == 0 && seen == 0x1f);
	d = opendir("/dev");
	EXPECT(d);
	seen = 0;
	while ((e = readdir(d)))
		for (unsigned i = 0; i < 3; i++)
			if (strcmp(e->d_name, want_dev[i]) == 0 && e->d_type == DT_CHR)
				seen |= 1u << i;
	EXPECT(closedir(d) == 0 && seen == 7);
	/* /bin lists this suite itself, as a regular file holding an ELF image. */
	d = opendir("/bin");
	EXPECT(d);
	bool self = false;
	int count = 0;
	while ((e = readdir(d))) {
		count++;
		self |= strcmp(e->d_name, "fdtest") == 0 && e->d_type == DT_REG;
	}
	EXPECT(closedir(d) == 0 && self && count > 3);
	struct stat st;
	EXPECT(stat("/bin/fdtest", &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 1000);
	EXPECT((st.st_mode & 0777) == 0555);
	return 0;
}

static int bin_is_read_only(void)
{
	EXPECT(fails_with(open("/bin/hello", O_WRONLY), EROFS));
	EXPECT(fails_with(open("/bin/hello", O_RDWR), EROFS));
	EXPECT(fails_with(open("/bin/new", O_WRONLY | O_CREAT, 0644), EROFS));
	EXPECT(fails_with(unlink("/bin/hello"), EROFS));
	EXPECT(fails_with(mkdir("/bin/d", 0755), EROFS));
	EXPECT(fails_with(rename("/bin/hello", "/bin/h2"), EROFS));
	EXPECT(fails_with(rmdir("/bin"), EBUSY));
	EXPECT(fails_with(rmdir("/dev"), EBUSY));
	EXPECT(fails_with(rmdir("/"), EBUSY));
	int fd = open("/bin/hello", O_RDONLY);
	EXPECT(fd >= 0);
	struct stat st;
	EXPECT(fstat(fd, &st) == 0 && lseek(fd, 0, SEEK_END) == st.st_size);
	char c;
	EXPECT(read(fd, &c, 1) == 0); /* at the end: end of file */
	EXPECT(close(fd) == 0);
	return 0;
}

static int dev_null_and_zero(void)
{
	int z = open("/dev/zero", O_RDWR);
	int n = open("/dev/null", O_RDWR);
	EXPECT(z >= 0 && n >= 0);
	static char big[3 * PAGE + 5];
	memset(big, 'x', sizeof(big));
	EXPECT(read(z, big, sizeof(big)) == (ssize_t)sizeof(big));
	for (size_t i = 0; i < sizeof(big); i++)
		EXPECT(big[i] == 0);
	EXPECT(write(z, big, 100) == 100);
	EXPECT(read(n, big, 10) == 0);
	EXPECT(write(n, big, sizeof(big)) == (ssize_t)sizeof(big));
	EXPECT(close(z) == 0 && close(n) == 0);
	return 0;
}

static int paths_resolve_dots_and_slashes(void)
{
	struct stat a, b;
	EXPECT(stat("/bin/hello", &a) == 0);
	EXPECT(stat("//bin///hello", &b) == 0 && a.st_ino == b.st_ino);
	EXPECT(stat("/dev/../bin/./hello", &b) == 0 && a.st_ino == b.st_ino);
	EXPECT(stat("/../../bin/hello", &b) == 0 && a.st_ino == b.st_ino); /* ".." of / is / */
	EXPECT(stat("/bin/", &b) == 0 && S_ISDIR(b.st_mode));
	EXPECT(fails_with(stat("/bin/hello/", &b), ENOTDIR));
	EXPECT(fails_with(stat("/bin/hello/x", &b), ENOTDIR));
	EXPECT(fails_with(stat("/nothing/x", &b), ENOENT));
	EXPECT(fails_with(stat("", &b), ENOENT));
	EXPECT(fails_with(open("/dev/null", O_RDONLY | O_DIRECTORY), ENOTDIR));
	EXPECT(fails_with(open("/tmp", O_RDWR), EISDIR));
	EXPECT(fails_with(open("/", O_WRONLY), EISDIR));
	return 0;
}

static int working_directory_and_getcwd(void)
{
	char buf[CALF_PATH_MAX];
	EXPECT(getcwd(buf, sizeof(buf)) && strcmp(buf, "/") == 0);
	EXPECT(chdir("/bin") == 0 && getcwd(buf, sizeof(buf)) && strcmp(buf, "/bin") == 0);
	struct stat a, b;
	EXPECT(stat("hello", &a) == 0 && stat("/bin/hello", &b) == 0 && a.st_ino == b.st_ino);
	EXPECT(chdir("../dev") == 0 && getcwd(buf, sizeof(buf)) && strcmp(buf, "/dev") == 0);
	EXPECT(chdir("..") == 0 && getcwd(buf, sizeof(buf)) && strcmp(buf, "/") == 0);
	EXPECT(chdir("tmp") == 0 && getcwd(buf, sizeof(buf)) && strcmp(buf, "/tmp") == 0);
	EXPECT(fails_with(chdir("/bin/hello"), ENOTDIR));
	EXPECT(fails_with(chdir("/nothing"), ENOENT));
	EXPECT(getcwd(buf, 5) && strcmp(buf, "/tmp") == 0); /* exactly fits with its NUL */
	EXPECT(getcwd(buf, 4) == NULL && errno == ERANGE);
	EXPECT(getcwd(buf, 0) == NULL && errno == EINVAL);
	/* A child inherits the working directory; its chdir leaves the parent's alone. */
	pid_t pid = fork();
	if (pid == 0) {
		char b2[16];
		bool ok = getcwd(b2, sizeof(b2)) && strcmp(b2, "/tmp") == 0 && chdir("/dev") == 0;
		_exit(ok ? 0 : 1);
	}
	int st;
	EXPECT(pid > 0 && waitpid(pid, &st, 0) == pid && suite_exited_ok(st));
	EXPECT(getcwd(buf, sizeof(buf)) && strcmp(buf, "/tmp") == 0);
	return 0;
}

/* The last mapped byte of a page with no page after it: the top of the main stack. */
static char *edge_of_mapped_memory(void)
{
	static char *edge;
	if (!edge) {
		/* The heap's end is a page boundary with nothing mapped above it. */
		char *end = sbrk(0);
		uintptr_t top = ((uintptr_t)end + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
		if (sbrk((intptr_t)(top - (uintptr_t)end)) == (void *)-1)
			return NULL;
		edge = (char *)top;
	}
	return edge;
}

static int bad_paths_give_posix_errors(void)
{
	struct stat st;
	EXPECT(fails_with(stat((const char *)0x10, &st), EFAULT));
	EXPECT(fails_with(open((const char *)-1, O_RDONLY), EFAULT));
	EXPECT(fails_with(stat("/bin/hello", (struct stat *)0x10), EFAULT));
	/* A component longer than NAME_MAX, and a path longer than PATH_MAX. */
	static char name[CALF_NAME_MAX + 3], path[CALF_PATH_MAX + 10];
	name[0] = '/';
	memset(name + 1, 'n', CALF_NAME_MAX + 1);
	EXPECT(fails_with(stat(name, &st), ENAMETOOLONG));
	memset(path, 'p', sizeof(path) - 1);
	path[0] = '/';
	EXPECT(fails_with(stat(path, &st), ENAMETOOLONG));
	/* No terminator before unmapped memory: EFAULT, not a crash or a read past it. */
	char *edge = edge_of_mapped_memory();
	EXPECT(edge != NULL);
	memset(edge - 8, 'a', 8);
	EXPECT(fails_with(stat(edge - 8, &st), EFAULT));
	/* A short path ending right at the edge is fine. */
	memcpy(edge - 5, "/bin", 5);
	EXPECT(stat(edge - 5, &st) == 0 && S_ISDIR(st.st_mode));
	EXPECT(fails_with((int)write(1, (void *)0x10, 4), EFAULT));
	int z = open("/dev/zero", O_RDONLY);
	EXPECT(z >= 0 && fails_with((int)read(z, (void *)0x10, 4), EFAULT));
	EXPECT(getcwd((char *)0x10, 8) == NULL && errno == EFAULT);
	EXPECT(close(z) == 0);
	return 0;
}

/* A heap buffer touched through a volatile pointer: the stores stay (the compiler may not drop them). */
static volatile char *shared_heap;

static int taskinfo_reports_tasks_and_sharing(void)
{
	size_t len = 16 * PAGE;
	shared_heap = malloc(len);
	EXPECT(shared_heap);
	for (size_t i = 0; i < len; i += PAGE)
		shared_heap[i] = 1; /* resident before the fork */
	struct calf_taskinfo me, kid;
	int c = 0;
	bool found = false;
	while ((c = calf_taskinfo(c, &me)) > 0)
		if (me.pid == getpid()) {
			found = true;
			break;
		}
	EXPECT(found && me.ppid == getppid() && me.state == 'R');
	EXPECT(me.resident >= 16); /* some pages are still the runner's, shared since its fork */
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			sleep(10);
	}
	EXPECT(pid > 0);
	usleep(20000); /* the child reaches its sleep */
	found = false;
	c = 0;
	while ((c = calf_taskinfo(c, &kid)) > 0)
		if (kid.pid == pid) {
			found = true;
			break;
		}
	EXPECT(found && kid.ppid == getpid() && kid.state == 'S');
	EXPECT(strcmp(kid.cmdline, "fdtest") == 0);
	EXPECT(kid.shared >= 16); /* the COW heap is shared after the fork */
	/* Writing the heap here takes it back: this side's pages stop being shared. */
	for (size_t i = 0; i < len; i += PAGE)
		shared_heap[i] = 2;
	c = 0;
	while ((c = calf_taskinfo(c, &me)) > 0)
		if (me.pid == getpid())
			break;
	EXPECT(me.shared + 16 <= kid.shared);
	EXPECT(kill(pid, SIGKILL) == 0);
	int st;
	EXPECT(waitpid(pid, &st, 0) == pid && suite_killed_by(st, SIGKILL));
	EXPECT(fails_with(calf_taskinfo(-1, &me), EINVAL));
	EXPECT(fails_with(calf_taskinfo(0, (struct calf_taskinfo *)0x10), EFAULT));
	return 0;
}

static const struct suite_case cases[] = {
	SUITE_CASE(console_is_fds_0_to_2),
	SUITE_CASE(bad_descriptors_give_ebadf),
	SUITE_CASE(lowest_free_descriptor_and_emfile),
	SUITE_CASE(dup_shares_the_offset),
	SUITE_CASE(dup2_over_an_open_descriptor_closes_it),
	SUITE_CASE(fcntl_flags_and_dupfd),
	SUITE_CASE(fork_inherits_descriptors_and_offsets),
	SUITE_CASE(lseek_is_atomic_with_a_read_in_flight),
	SUITE_CASE(root_bin_and_dev_are_listed),
	SUITE_CASE(bin_is_read_only),
	SUITE_CASE(dev_null_and_zero),
	SUITE_CASE(paths_resolve_dots_and_slashes),
	SUITE_CASE(working_directory_and_getcwd),
	SUITE_CASE(bad_paths_give_posix_errors),
	SUITE_CASE(taskinfo_reports_tasks_and_sharing),
};

static int exit_at_once(void)
{
	return 0;
}

int main(void)
{
	struct suite_tally t = { 0 };
	/* The cases and suite_run_counted's leak check at the end. */
	printf("fdtest: %d cases\n", (int)(sizeof(cases) / sizeof(cases[0]) + 1));
	suite_run_counted(cases, sizeof(cases) / sizeof(cases[0]), &t, exit_at_once,
			  "frames_restored_after_all_exit");
	return suite_end(&t);
}
