/*
 * syscalls.c - newlib's system-call layer for Calf. newlib's reentrant
 * wrappers (fork -> _fork_r -> _fork ...) call these; each turns a negative
 * kernel result into -1 and errno, the POSIX way.
 */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "calf.h"

#define STDIO_FDS 3

/* Map a raw kernel result to the POSIX convention. */
static int sys_result(int32_t r)
{
	if (r < 0 && r > -4096) {
		errno = -r;
		return -1;
	}
	return r;
}

static int sys0(uint32_t nr)
{
	return sys_result(calf_syscall(nr, 0, 0, 0));
}

void _exit(int status)
{
	calf_syscall(CALF_SYS_exit, (uint32_t)status, 0, 0);
	for (;;)
		;
}

int _write(int fd, const void *buf, size_t len)
{
	return sys_result(calf_syscall(CALF_SYS_write, (uint32_t)fd, (uint32_t)buf, len));
}

int _read(int fd, void *buf, size_t len)
{
	return sys_result(calf_syscall(CALF_SYS_read, (uint32_t)fd, (uint32_t)buf, len));
}

int _close(int fd)
{
	if (fd >= 0 && fd < STDIO_FDS)
		return 0;
	errno = EBADF;
	return -1;
}

int _fstat(int fd, struct stat *st)
{
	if (fd < 0 || fd >= STDIO_FDS) {
		errno = EBADF;
		return -1;
	}
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR; /* a terminal: newlib line-buffers stdout */
	return 0;
}

int _isatty(int fd)
{
	if (fd >= 0 && fd < STDIO_FDS)
		return 1;
	errno = EBADF;
	return 0;
}

off_t _lseek(int fd, off_t off, int whence)
{
	(void)fd;
	(void)off;
	(void)whence;
	errno = ESPIPE;
	return -1;
}

uint64_t calf_clock_ns(void)
{
	uint64_t ns = 0;
	calf_syscall(CALF_SYS_clock, (uint32_t)&ns, 0, 0);
	return ns;
}

/* There is no real-time clock: time() counts from boot. */
int _gettimeofday(struct timeval *tv, void *tz)
{
	(void)tz;
	uint64_t ns = calf_clock_ns();
	tv->tv_sec = (time_t)(ns / 1000000000u);
	tv->tv_usec = (suseconds_t)(ns % 1000000000u / 1000u);
	return 0;
}

/* No exec yet: apps are started by name at build time (CALF_INIT). */
int _execve(const char *path, char *const argv[], char *const envp[])
{
	(void)path;
	(void)argv;
	(void)envp;
	errno = ENOSYS;
	return -1;
}

int _getpid(void)
{
	return sys0(CALF_SYS_getpid);
}

pid_t getppid(void)
{
	return sys0(CALF_SYS_getppid);
}

int _kill(int pid, int sig)
{
	return sys_result(calf_syscall(CALF_SYS_kill, (uint32_t)pid, (uint32_t)sig, 0));
}

int _fork(void)
{
	return sys_result(calf_syscall(CALF_SYS_clone, 0, 0, 0));
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return sys_result(
		calf_syscall(CALF_SYS_waitpid, (uint32_t)pid, (uint32_t)status, (uint32_t)options));
}

int _wait(int *status)
{
	return waitpid(-1, status, 0);
}

int sched_yield(void)
{
	return sys0(CALF_SYS_yield);
}

int usleep(useconds_t us)
{
	return sys_result(calf_syscall(CALF_SYS_usleep, us, 0, 0));
}

unsigned sleep(unsigned seconds)
{
	for (; seconds > 0; seconds--)
		if (usleep(1000000) < 0)
			return seconds;
	return 0;
}

/* Move the kernel's heap end to want (0: only ask). 0, or -1 with errno = ENOMEM. */
static int heap_end_set(uintptr_t want, uintptr_t *end)
{
	int32_t r = calf_syscall(CALF_SYS_brk, want, 0, 0);
	if (r < 0 && r > -4096) {
		errno = ENOMEM; /* what sbrk reports, whatever the kernel's reason */
		return -1;
	}
	*end = (uintptr_t)r;
	return 0;
}

/* newlib's malloc grows the heap through here; the kernel maps it on first touch. */
void *_sbrk(ptrdiff_t incr)
{
	static uintptr_t brk_now, brk_mapped; /* the break, and the kernel's page-rounded end */
	if (brk_mapped == 0) {
		if (heap_end_set(0, &brk_mapped) < 0)
			return (void *)-1;
		brk_now = brk_mapped;
	}
	uintptr_t old = brk_now, want = old + (uintptr_t)incr;
	bool wrapped = (incr > 0 && want < old) || (incr < 0 && want > old);
	/* Growing maps more; shrinking by a page or more gives the pages back (newlib's malloc_trim). */
	bool move = want > brk_mapped || (incr < 0 && brk_mapped - want >= 4096);
	if (wrapped || (move && heap_end_set(want, &brk_mapped) < 0)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	brk_now = want;
	return (void *)old;
}

int calf_meminfo(struct calf_meminfo *mi)
{
	return sys_result(calf_syscall(CALF_SYS_meminfo, (uint32_t)mi, 0, 0));
}

int calf_kbench(int op, unsigned iterations, uint64_t *ns)
{
	return sys_result(calf_syscall(CALF_SYS_kbench, (uint32_t)op, iterations, (uint32_t)ns));
}

int calf_setprio(pid_t pid, int prio)
{
	return sys_result(calf_syscall(CALF_SYS_setprio, (uint32_t)pid, (uint32_t)prio, 0));
}

int32_t calf_thread_spawn_raw(int (*fn)(void *), void *arg, void *stack_top);

pid_t calf_thread_spawn(int (*fn)(void *), void *arg, void *stack_top)
{
	if (!fn || !stack_top) {
		errno = EINVAL;
		return -1;
	}
	return sys_result(calf_thread_spawn_raw(fn, arg, (void *)((uintptr_t)stack_top & ~7u)));
}
