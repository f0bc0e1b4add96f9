/*
 * syscalls.c - newlib's system-call layer for Calf. newlib's reentrant
 * wrappers (fork -> _fork_r -> _fork ...) call these; each turns a negative
 * kernel result into -1 and errno, the POSIX way.
 */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "calf.h"
#include "pthread_impl.h"
#include "sys.h"

/* The kernel reads and writes apps' own struct timespec and struct timeval: same layout. */
_Static_assert(sizeof(struct timespec) == sizeof(struct calf_timespec) &&
		       offsetof(struct timespec, tv_nsec) == offsetof(struct calf_timespec, tv_nsec),
	       "struct timespec is not calf_timespec");
_Static_assert(sizeof(struct timeval) == sizeof(struct timespec) &&
		       offsetof(struct timeval, tv_usec) == offsetof(struct timespec, tv_nsec),
	       "struct timeval is not shaped as struct timespec");
_Static_assert(CLOCK_REALTIME == CALF_CLOCK_REALTIME && CLOCK_MONOTONIC == CALF_CLOCK_MONOTONIC &&
		       TIMER_ABSTIME == CALF_TIMER_ABSTIME,
	       "newlib's clock numbers are not abi.h's");

static int sys0(uint32_t nr)
{
	return sys_result(calf_syscall(nr, 0, 0, 0));
}

/* Ends the whole process, every thread of it (exit_group; exit where a kernel lacks it). */
void _exit(int status)
{
	calf_syscall(CALF_SYS_exit_group, (uint32_t)status, 0, 0);
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

uint64_t calf_clock_ns(void)
{
	uint64_t ns = 0;
	calf_syscall(CALF_SYS_clock, (uint32_t)&ns, 0, 0);
	return ns;
}

int clock_gettime(clockid_t clock_id, struct timespec *tp)
{
	return sys_result(calf_syscall(CALF_SYS_clock_gettime, (uint32_t)clock_id, (uint32_t)tp, 0));
}

int clock_getres(clockid_t clock_id, struct timespec *res)
{
	return sys_result(calf_syscall(CALF_SYS_clock_getres, (uint32_t)clock_id, (uint32_t)res, 0));
}

/* POSIX: the error number is the result, and errno stays as it was. */
int clock_nanosleep(clockid_t clock_id, int flags, const struct timespec *rqtp,
		    struct timespec *rmtp)
{
	int32_t r = calf_syscall4(CALF_SYS_clock_nanosleep, (uint32_t)clock_id, (uint32_t)flags,
				  (uint32_t)rqtp, (uint32_t)rmtp);
	return r < 0 ? -r : 0;
}

/* POSIX times nanosleep on CLOCK_REALTIME; here it is the monotonic count, so either serves. */
int nanosleep(const struct timespec *rqtp, struct timespec *rmtp)
{
	return sys_result(calf_syscall4(CALF_SYS_clock_nanosleep, CALF_CLOCK_MONOTONIC, 0,
					(uint32_t)rqtp, (uint32_t)rmtp));
}

/*
 * CLOCK_REALTIME, so time() too, counts from boot: there is no real-time
 * clock. The kernel writes *tv as a timespec (same shape), which checks the
 * pointer (EFAULT); then nanoseconds become microseconds.
 */
int _gettimeofday(struct timeval *tv, void *tz)
{
	(void)tz;
	if (!tv)
		return 0;
	if (clock_gettime(CLOCK_REALTIME, (struct timespec *)tv) < 0)
		return -1;
	tv->tv_usec /= 1000;
	return 0;
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

/* POSIX fork: the child has one thread, the caller (pthread_thread.c keeps the rest in order). */
int _fork(void)
{
	thread_fork_prepare();
	int32_t r = calf_syscall(CALF_SYS_clone, 0, 0, 0);
	if (r == 0)
		thread_fork_child();
	else
		thread_fork_parent();
	return sys_result(r);
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

/* POSIX: 0, or the seconds left unslept (rounded up) when a signal ended the sleep. */
unsigned sleep(unsigned seconds)
{
	struct timespec req = { (time_t)seconds, 0 }, rem;
	if (nanosleep(&req, &rem) == 0)
		return 0;
	return (unsigned)rem.tv_sec + (rem.tv_nsec > 0);
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
	return calf_setsched(pid, prio, CALF_SCHED_KEEP);
}

int calf_setsched(pid_t pid, int prio, int policy)
{
	return sys_result(calf_syscall(CALF_SYS_setprio, (uint32_t)pid, (uint32_t)prio, (uint32_t)policy));
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
