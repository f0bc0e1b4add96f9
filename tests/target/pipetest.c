/*
 * pipetest.c - the on-target pipe suite: end of file exactly when the last
 * writer (across fork and dup) is gone, blocked readers and writers woken
 * by the other side, atomic writes up to CALF_PIPE_BUF among several writers,
 * bytes intact at every alignment of writer and reader,
 * EPIPE with SIGPIPE (default: the writer dies of it; ignored: EPIPE),
 * O_NONBLOCK, interrupted waits, fstat, close-on-exec, bad arguments,
 * every frame and descriptor given back, and a pipe to a program across
 * exec.
 *
 * Each case runs in its own forked task; the suite prints PASS/FAIL per
 * case and "N passed, N failed", and exits with the number of failures.
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <calf.h>
#include "suite.h"

#define PIPE_CAPACITY 4096 /* kernel/pipe.h: a frame */
#define SETTLE_US 20000    /* long enough for a woken or blocked task to get there */

/* Read until end of file; the byte count, or -1 on an error. */
static long drain(int fd)
{
	char buf[256];
	long total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0)
			return -1;
		if (n == 0)
			return total;
		total += n;
	}
}

/* ---- end of file ---------------------------------------------------------- */

#define EOF_WRITERS 8
#define EOF_WRITES 50

/*
 * Eight children each write 50 bytes and exit, the last after a pause, so
 * that the reader (a child too, watched with a deadline) is asleep when
 * the last write end goes: end of file must wake it.
 */
static int eof_after_the_last_of_many_writers(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	pid_t reader = fork();
	EXPECT(reader >= 0);
	if (reader == 0) {
		close(p[1]);
		_exit(drain(p[0]) == EOF_WRITERS * EOF_WRITES ? 0 : 1);
	}
	pid_t writers[EOF_WRITERS];
	for (int i = 0; i < EOF_WRITERS; i++) {
		pid_t pid = writers[i] = fork();
		EXPECT(pid >= 0);
		if (pid == 0) {
			close(p[0]);
			for (int k = 0; k < EOF_WRITES; k++) {
				if (write(p[1], "x", 1) != 1)
					_exit(1);
				if (k % 10 == 0)
					sched_yield();
			}
			if (i == EOF_WRITERS - 1)
				usleep(SETTLE_US);
			_exit(0);
		}
	}
	close(p[0]);
	close(p[1]);
	for (int i = 0; i < EOF_WRITERS; i++) {
		int status;
		EXPECT(waitpid(writers[i], &status, 0) == writers[i] && suite_exited_ok(status));
	}
	EXPECT(suite_exited_ok(suite_wait_bounded(reader)));
	return 0;
}

/* A dup of the write end keeps end of file away until it is closed too. */
static int eof_waits_for_a_dup_of_the_write_end(void)
{
	int p[2];
	EXPECT(pipe2(p, O_NONBLOCK) == 0);
	int extra = dup(p[1]);
	EXPECT(extra >= 0);
	close(p[1]);
	char c;
	EXPECT(read(p[0], &c, 1) == -1 && errno == EAGAIN); /* a writer is left: no end of file */
	close(extra);
	EXPECT(read(p[0], &c, 1) == 0);
	EXPECT(read(p[0], &c, 1) == 0); /* and it stays at end of file */
	close(p[0]);
	return 0;
}

/* ---- blocking ------------------------------------------------------------- */

/* A reader blocked on an empty pipe gets what a later write brings. */
static int blocked_reader_woken_by_a_write(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	pid_t pid = fork();
	EXPECT(pid >= 0);
	if (pid == 0) {
		char buf[16] = { 0 };
		_exit(read(p[0], buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0 ? 0 : 1);
	}
	usleep(SETTLE_US);
	EXPECT(suite_still_running(pid)); /* blocked: nothing to read yet */
	EXPECT(write(p[1], "hello", 5) == 5);
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid && suite_exited_ok(status));
	close(p[0]);
	close(p[1]);
	return 0;
}

/* Fill p's write end without blocking; the bytes written. */
static long fill(int wfd)
{
	int flags = fcntl(wfd, F_GETFL);
	fcntl(wfd, F_SETFL, flags | O_NONBLOCK);
	static char block[512];
	long total = 0;
	for (;;) {
		ssize_t n = write(wfd, block, sizeof(block));
		if (n <= 0)
			break;
		total += n;
	}
	fcntl(wfd, F_SETFL, flags);
	return total;
}

/* A writer blocked on a full pipe finishes once a read makes room. */
static int blocked_writer_woken_by_a_read(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	EXPECT(fill(p[1]) == PIPE_CAPACITY);
	pid_t pid = fork();
	EXPECT(pid >= 0);
	if (pid == 0)
		_exit(write(p[1], "0123456789", 10) == 10 ? 0 : 1);
	usleep(SETTLE_US);
	EXPECT(suite_still_running(pid)); /* blocked: the pipe is full */
	char buf[64];
	EXPECT(read(p[0], buf, sizeof(buf)) == sizeof(buf));
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid && suite_exited_ok(status));
	close(p[1]);
	EXPECT(drain(p[0]) == PIPE_CAPACITY - (long)sizeof(buf) + 10);
	close(p[0]);
	return 0;
}

/* ---- atomic writes -------------------------------------------------------- */

#define ATOMIC_WRITERS 4
#define ATOMIC_RECORDS 40

/* Four writers of CALF_PIPE_BUF-byte records, one letter each: every record arrives whole. */
static int small_writes_are_atomic(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	for (int w = 0; w < ATOMIC_WRITERS; w++) {
		pid_t pid = fork();
		EXPECT(pid >= 0);
		if (pid == 0) {
			static char rec[CALF_PIPE_BUF];
			close(p[0]);
			memset(rec, 'a' + w, sizeof(rec));
			/*
			 * Writer 0 is more urgent and pauses between records: it comes back
			 * while others wait for room, the moment a non-atomic write would
			 * let it in between another's bytes.
			 */
			if (w == 0)
				calf_setprio(0, CALF_PRIO_DEFAULT - 2);
			for (int k = 0; k < ATOMIC_RECORDS; k++) {
				if (write(p[1], rec, sizeof(rec)) != sizeof(rec))
					_exit(1);
				if (w == 0)
					usleep(1000);
			}
			_exit(0);
		}
	}
	close(p[1]);
	static char rec[CALF_PIPE_BUF];
	int counts[ATOMIC_WRITERS] = { 0 };
	size_t have = 0;
	char buf[300]; /* reads of odd sizes leave odd room: records must still go in whole */
	usleep(SETTLE_US); /* the writers fill the pipe and wait for room */
	for (;;) {
		sched_yield(); /* a writer gets to use the room each read makes */
		ssize_t n = read(p[0], buf, sizeof(buf));
		EXPECT(n >= 0);
		if (n == 0)
			break;
		for (ssize_t i = 0; i < n; i++) {
			rec[have++] = buf[i];
			if (have < sizeof(rec))
				continue;
			int w = rec[0] - 'a';
			EXPECT(w >= 0 && w < ATOMIC_WRITERS);
			for (size_t j = 1; j < sizeof(rec); j++)
				EXPECT(rec[j] == rec[0]);
			counts[w]++;
			have = 0;
		}
	}
	EXPECT(have == 0);
	for (int w = 0; w < ATOMIC_WRITERS; w++) {
		EXPECT(counts[w] == ATOMIC_RECORDS);
		int status;
		EXPECT(wait(&status) > 0 && suite_exited_ok(status));
	}
	close(p[0]);
	return 0;
}

/* ---- bytes through the kernel's copies ----------------------------------- */

/*
 * Every byte arrives, and nothing around the reader's buffer changes, for
 * each pairing of the writer's and reader's misalignment and sizes around
 * the kernel copy's word and 32-byte blocks: the pipe ring's offset moves
 * with each transfer, so both the same and different misalignments of the
 * two sides of the kernel's memcpy come up.
 */
static int bytes_survive_every_alignment(void)
{
	static const unsigned sizes[] = { 1, 3, 4, 5, 31, 32, 33, 63, 64, 65, 100, 257 };
	enum { GUARD = 8, MAX = 257 + 8 };
	static unsigned char src[MAX], dst[MAX + 2 * GUARD];
	int p[2];
	EXPECT(pipe(p) == 0);
	unsigned seed = 1;
	for (unsigned so = 0; so < 8; so++)
		for (unsigned doff = 0; doff < 8; doff++)
			for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
				unsigned n = sizes[k];
				for (unsigned i = 0; i < n; i++)
					src[so + i] = (unsigned char)(seed = seed * 1103515245u + 12345u) >> 16;
				memset(dst, 0xA5, sizeof(dst));
				EXPECT(write(p[1], src + so, n) == (ssize_t)n);
				EXPECT(read(p[0], dst + GUARD + doff, n) == (ssize_t)n);
				EXPECT(memcmp(dst + GUARD + doff, src + so, n) == 0);
				for (unsigned i = 0; i < GUARD + doff; i++)
					EXPECT(dst[i] == 0xA5);
				for (unsigned i = GUARD + doff + n; i < sizeof(dst); i++)
					EXPECT(dst[i] == 0xA5);
			}
	close(p[0]);
	close(p[1]);
	return 0;
}

/* ---- no reader ------------------------------------------------------------ */

/* Writing with no reader left: SIGPIPE, whose default ends the writer. */
static int write_without_reader_dies_of_sigpipe(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	close(p[0]);
	pid_t pid = fork();
	EXPECT(pid >= 0);
	if (pid == 0) {
		write(p[1], "x", 1);
		_exit(0); /* not reached: SIGPIPE ended us */
	}
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(suite_killed_by(status, SIGPIPE));
	close(p[1]);
	return 0;
}

/* With SIGPIPE ignored the write fails with EPIPE, and the writer goes on. */
static int write_without_reader_epipe_when_ignored(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	EXPECT(signal(SIGPIPE, SIG_IGN) == SIG_DFL);
	close(p[0]);
	EXPECT(write(p[1], "x", 1) == -1 && errno == EPIPE);
	close(p[1]);
	return 0;
}

/* A writer blocked on a full pipe gets SIGPIPE when the last reader goes. */
static int blocked_writer_gets_sigpipe_when_reader_closes(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	EXPECT(fill(p[1]) == PIPE_CAPACITY);
	pid_t pid = fork();
	EXPECT(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		write(p[1], "x", 1);
		_exit(0);
	}
	usleep(SETTLE_US);
	EXPECT(suite_still_running(pid));
	close(p[0]);
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid && suite_killed_by(status, SIGPIPE));
	close(p[1]);
	return 0;
}

/* ---- O_NONBLOCK ----------------------------------------------------------- */

/* EAGAIN for an empty read and a full write; above CALF_PIPE_BUF a partial write. */
static int nonblock_eagain_and_partial_writes(void)
{
	int p[2];
	EXPECT(pipe2(p, O_NONBLOCK) == 0);
	EXPECT((fcntl(p[0], F_GETFL) & O_NONBLOCK) && (fcntl(p[1], F_GETFL) & O_NONBLOCK));
	char buf[PIPE_CAPACITY];
	memset(buf, 'z', sizeof(buf));
	EXPECT(read(p[0], buf, 1) == -1 && errno == EAGAIN);
	EXPECT(write(p[1], buf, PIPE_CAPACITY - 100) == PIPE_CAPACITY - 100);
	/* 100 bytes free: an atomic write of 200 does not fit at all ... */
	EXPECT(write(p[1], buf, 200) == -1 && errno == EAGAIN);
	/* ... a write above CALF_PIPE_BUF takes what fits (POSIX write(), O_NONBLOCK) */
	EXPECT(write(p[1], buf, CALF_PIPE_BUF + 1) == 100);
	EXPECT(write(p[1], buf, CALF_PIPE_BUF + 1) == -1 && errno == EAGAIN);
	EXPECT(read(p[0], buf, sizeof(buf)) == PIPE_CAPACITY);
	EXPECT(read(p[0], buf, 1) == -1 && errno == EAGAIN);
	close(p[0]);
	close(p[1]);
	return 0;
}

/* ---- interrupted waits ---------------------------------------------------- */

/* Start a child blocked reading (read true) or writing a full pipe; kill it: it ends at once. */
static int killed_while_blocked(bool read_side)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	if (!read_side)
		EXPECT(fill(p[1]) == PIPE_CAPACITY);
	pid_t pid = fork();
	EXPECT(pid >= 0);
	if (pid == 0) {
		char c = 0;
		if (read_side)
			read(p[0], &c, 1);
		else
			write(p[1], &c, 1);
		_exit(0);
	}
	usleep(SETTLE_US);
	EXPECT(suite_still_running(pid));
	EXPECT(kill(pid, SIGTERM) == 0);
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid && suite_killed_by(status, SIGTERM));
	close(p[0]);
	close(p[1]);
	return 0;
}

static int signal_ends_a_blocked_read(void)
{
	return killed_while_blocked(true);
}

static int signal_ends_a_blocked_write(void)
{
	return killed_while_blocked(false);
}

/* ---- descriptors and files ------------------------------------------------ */

/* Both ends are FIFOs to fstat, with the queued bytes as their size. */
static int fstat_says_fifo(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	EXPECT(write(p[1], "abc", 3) == 3);
	struct stat r, w;
	EXPECT(fstat(p[0], &r) == 0 && fstat(p[1], &w) == 0);
	EXPECT(S_ISFIFO(r.st_mode) && S_ISFIFO(w.st_mode));
	EXPECT(r.st_ino == w.st_ino && r.st_size == 3);
	EXPECT(!isatty(p[0]));
	close(p[0]);
	close(p[1]);
	return 0;
}

/* Each end works one way: reading the write end or writing the read end is EBADF. */
static int ends_are_one_way(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	char c = 'x';
	EXPECT(write(p[0], &c, 1) == -1 && errno == EBADF);
	EXPECT(read(p[1], &c, 1) == -1 && errno == EBADF);
	EXPECT(lseek(p[0], 0, SEEK_SET) == -1 && errno == ESPIPE);
	close(p[0]);
	close(p[1]);
	return 0;
}

/* pipe2's O_CLOEXEC marks both descriptors close-on-exec; plain pipe neither. */
static int pipe2_cloexec(void)
{
	int p[2], q[2];
	EXPECT(pipe2(p, O_CLOEXEC) == 0 && pipe(q) == 0);
	EXPECT(fcntl(p[0], F_GETFD) == FD_CLOEXEC && fcntl(p[1], F_GETFD) == FD_CLOEXEC);
	EXPECT(fcntl(q[0], F_GETFD) == 0 && fcntl(q[1], F_GETFD) == 0);
	EXPECT((fcntl(p[0], F_GETFL) & O_NONBLOCK) == 0);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
	return 0;
}

/* Unknown flags are EINVAL, a bad array EFAULT: neither leaves a descriptor or a frame. */
static int bad_arguments_leave_nothing(void)
{
	/* Addresses the compiler cannot see through: page 0 is never mapped, the top is the kernel's. */
	static int *volatile bad[2] = { (int *)8, (int *)0xfffffff0u };
	int p[2];
	pipe(bad[0]); /* warm up: the pages this case writes are its own before counting */
	struct calf_meminfo before = suite_meminfo();
	EXPECT(pipe2(p, O_APPEND) == -1 && errno == EINVAL);
	EXPECT(pipe(bad[0]) == -1 && errno == EFAULT);
	EXPECT(pipe(bad[1]) == -1 && errno == EFAULT);
	struct calf_meminfo after = suite_meminfo();
	EXPECT(after.free == before.free && after.uncharged == before.uncharged);
	int fd = dup(0);
	EXPECT(fd == 3); /* descriptors 3 and up are still free */
	close(fd);
	return 0;
}

/* Pipes until descriptors run out: EMFILE, and every frame back after closing. */
static int descriptors_run_out_with_emfile(void)
{
	int fds[CALF_OPEN_MAX];
	int n = 0, p[2];
	/* Warm up: the pages this case writes (stack, errno) are its own before counting. */
	memset(fds, 0, sizeof(fds));
	errno = 0;
	EXPECT(pipe(p) == 0);
	close(p[0]);
	close(p[1]);
	struct calf_meminfo before = suite_meminfo();
	while (n + 2 <= CALF_OPEN_MAX && pipe(p) == 0) {
		fds[n++] = p[0];
		fds[n++] = p[1];
	}
	EXPECT(pipe(p) == -1 && errno == EMFILE);
	EXPECT(n == CALF_OPEN_MAX - 4); /* 0-2 are the console; one descriptor was left over */
	for (int i = 0; i < n; i++)
		close(fds[i]);
	struct calf_meminfo after = suite_meminfo();
	if (after.free != before.free || after.uncharged != before.uncharged)
		printf("    free %lu -> %lu, uncharged %lu -> %lu\n", (unsigned long)before.free,
		       (unsigned long)after.free, (unsigned long)before.uncharged,
		       (unsigned long)after.uncharged);
	EXPECT(after.free == before.free && after.uncharged == before.uncharged);
	return 0;
}

/* A pipe holds one uncharged frame while open, none once both ends are closed. */
static int frame_given_back_at_last_close(void)
{
	int p[2];
	EXPECT(pipe(p) == 0); /* warm up: the pages this case writes are its own before counting */
	close(p[0]);
	close(p[1]);
	struct calf_meminfo m0 = suite_meminfo();
	for (int round = 0; round < 200; round++) {
		EXPECT(pipe(p) == 0);
		struct calf_meminfo m1 = suite_meminfo();
		EXPECT(m1.uncharged == m0.uncharged + 1 && m1.free == m0.free - 1);
		EXPECT(write(p[1], "data", 4) == 4);
		if (round % 2) { /* either end may go last */
			close(p[0]);
			close(p[1]);
		} else {
			close(p[1]);
			close(p[0]);
		}
	}
	struct calf_meminfo m2 = suite_meminfo();
	EXPECT(m2.free == m0.free && m2.uncharged == m0.uncharged);
	return 0;
}

/* ---- across exec ---------------------------------------------------------- */

/* A child's stdout made the write end, then exec'd: what /bin/echo prints comes through. */
static int pipe_to_a_program_across_exec(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	pid_t pid = fork();
	EXPECT(pid >= 0);
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execl("/bin/echo", "echo", "through", "exec", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char buf[64];
	size_t have = 0;
	ssize_t n;
	while ((n = read(p[0], buf + have, sizeof(buf) - have)) > 0)
		have += (size_t)n;
	EXPECT(n == 0 && have == 13 && memcmp(buf, "through exec\n", 13) == 0);
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid && suite_exited_ok(status));
	close(p[0]);
	return 0;
}

/* A close-on-exec write end goes at exec: end of file while the program still runs. */
static int cloexec_write_end_closed_by_exec(void)
{
	int p[2];
	EXPECT(pipe2(p, O_CLOEXEC) == 0);
	pid_t pid = fork();
	EXPECT(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		execl("/bin/sleep", "sleep", "10", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char c;
	EXPECT(read(p[0], &c, 1) == 0);
	EXPECT(suite_still_running(pid)); /* the end went with exec, not with the exit */
	kill(pid, SIGKILL);
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid && suite_killed_by(status, SIGKILL));
	close(p[0]);
	return 0;
}

static const struct suite_case cases[] = {
	SUITE_CASE(eof_after_the_last_of_many_writers),
	SUITE_CASE(eof_waits_for_a_dup_of_the_write_end),
	SUITE_CASE(blocked_reader_woken_by_a_write),
	SUITE_CASE(blocked_writer_woken_by_a_read),
	SUITE_CASE(small_writes_are_atomic),
	SUITE_CASE(bytes_survive_every_alignment),
	SUITE_CASE(write_without_reader_dies_of_sigpipe),
	SUITE_CASE(write_without_reader_epipe_when_ignored),
	SUITE_CASE(blocked_writer_gets_sigpipe_when_reader_closes),
	SUITE_CASE(nonblock_eagain_and_partial_writes),
	SUITE_CASE(signal_ends_a_blocked_read),
	SUITE_CASE(signal_ends_a_blocked_write),
	SUITE_CASE(fstat_says_fifo),
	SUITE_CASE(ends_are_one_way),
	SUITE_CASE(pipe2_cloexec),
	SUITE_CASE(bad_arguments_leave_nothing),
	SUITE_CASE(descriptors_run_out_with_emfile),
	SUITE_CASE(frame_given_back_at_last_close),
	SUITE_CASE(pipe_to_a_program_across_exec),
	SUITE_CASE(cloexec_write_end_closed_by_exec),
};

int main(void)
{
	struct suite_tally t = { 0 };
	/* The cases and suite_run_counted's leak check at the end. */
	printf("pipetest: %d cases\n", (int)(sizeof(cases) / sizeof(cases[0]) + 1));
	suite_run_counted(cases, sizeof(cases) / sizeof(cases[0]), &t, write_without_reader_epipe_when_ignored,
			  "no_frame_leaked_by_the_suite");
	return suite_end(&t);
}
